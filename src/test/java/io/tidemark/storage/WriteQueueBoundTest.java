package io.tidemark.storage;

import static io.tidemark.testing.GrpcTestClient.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.proto.v1.WriteResponse;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** While PostgreSQL cannot commit, writes queue up to the bound and the next one is refused, not buffered. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
@TestProfile(WriteQueueBoundTest.SmallQueue.class)
class WriteQueueBoundTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidemark.storage.max-queued-samples", "3000", "tidemark.storage.flush-samples", "1000",
                    "tidemark.storage.flush-concurrency", "1");
        }
    }

    @Test
    void aFullQueueRefusesWithResourceExhaustedAndKeepsWhatItAccepted() throws Exception {
        long t = System.currentTimeMillis() - 60_000;
        try (GrpcTestClient client = new GrpcTestClient(); Connection lock = Db.connect()) {
            client.blocking(null).write(request(t - 1)); // series exist: the locked phase only waits on samples
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE");
            }
            List<CompletableFuture<WriteResponse>> pending = new ArrayList<>();
            StatusRuntimeException refused = null;
            for (int i = 0; i < 10 && refused == null; i++) {
                long ts = t + i;
                CompletableFuture<WriteResponse> f = CompletableFuture.supplyAsync(() -> client.blocking(null).write(request(ts)));
                try {
                    f.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillQueued) {
                    pending.add(f);
                    continue;
                } catch (java.util.concurrent.ExecutionException e) {
                    refused = (StatusRuntimeException) e.getCause();
                }
            }
            assertTrue(refused != null, "a write was refused once the queue was full");
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("tidemark.storage.max-queued-samples"),
                    refused.getStatus().getDescription());
            lock.rollback();
            for (CompletableFuture<WriteResponse> f : pending) {
                assertEquals(1000, f.get(30, TimeUnit.SECONDS).getAccepted());
            }
            assertEquals(1000L * (pending.size() + 1), Db.samplesOf("default", "queue_bound"));
        }
    }

    private static WriteRequest request(long ts) {
        MetricBatch.Builder b = MetricBatch.newBuilder();
        for (int i = 0; i < 1000; i++) {
            b.addSeries(series("queue_bound", Map.of("host", "h" + i), ts, i));
        }
        return WriteRequest.newBuilder().setBatch(b).build();
    }
}
