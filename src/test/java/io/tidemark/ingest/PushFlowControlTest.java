package io.tidemark.ingest;

import static io.tidemark.testing.GrpcTestClient.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.storage.WriteBatcher;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * While PostgreSQL cannot commit (the samples table is locked), a client pushing as fast as it can is held
 * back by flow control: the server reads at most its window of batches, and the client sees isReady() turn false.
 */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class PushFlowControlTest {

    private static final int BATCHES = 100;
    private static final int SERIES_PER_BATCH = 1000;
    private static final int WINDOW = 16; // tidemark.ingest.stream-window default

    @Inject
    WriteBatcher batcher;

    @Test
    void aFastClientIsSlowedNotBuffered() throws Exception {
        long t = System.currentTimeMillis() - 60_000;
        // Create the series first so the locked phase only waits on sample inserts.
        try (GrpcTestClient client = new GrpcTestClient()) {
            client.blocking(null).write(io.tidemark.proto.v1.WriteRequest.newBuilder().setBatch(batch(t - 1)).build());
        }
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger notReady = new AtomicInteger();
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        try (GrpcTestClient client = new GrpcTestClient(); Connection lock = Db.connect()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE");
            }
            client.async(null).push(new ClientResponseObserver<PushRequest, PushResponse>() {
                ClientCallStreamObserver<PushRequest> requests;
                boolean halfClosed;

                @Override
                public void beforeStart(ClientCallStreamObserver<PushRequest> stream) {
                    requests = stream;
                    stream.setOnReadyHandler(this::sendWhileReady);
                }

                private synchronized void sendWhileReady() {
                    while (sent.get() < BATCHES) {
                        if (!requests.isReady()) {
                            notReady.incrementAndGet();
                            return;
                        }
                        int seq = sent.getAndIncrement();
                        requests.onNext(PushRequest.newBuilder().setSequence(seq).setBatch(batch(t + seq)).build());
                    }
                    if (!halfClosed) {
                        halfClosed = true;
                        requests.onCompleted();
                    }
                }

                @Override
                public void onNext(PushResponse value) {
                    acks.incrementAndGet();
                }

                @Override
                public void onError(Throwable e) {
                    done.complete(e);
                }

                @Override
                public void onCompleted() {
                    done.complete(null);
                }
            });
            Thread.sleep(3000);
            int queued = batcher.queuedSamples();
            assertEquals(0, acks.get(), "nothing is acknowledged while nothing can commit");
            assertTrue(notReady.get() > 0, "the client was told to wait (isReady false)");
            assertTrue(sent.get() < BATCHES, "the client could not send everything: sent " + sent.get());
            assertTrue(queued <= WINDOW * SERIES_PER_BATCH,
                    "the server holds at most its window: " + queued + " samples queued");
            lock.rollback();
            assertEquals(null, done.get(60, TimeUnit.SECONDS));
        }
        assertEquals(BATCHES, acks.get());
        assertEquals((long) (BATCHES + 1) * SERIES_PER_BATCH, Db.samplesOf("default", "flow_controlled"));
    }

    private static MetricBatch batch(long ts) {
        MetricBatch.Builder b = MetricBatch.newBuilder();
        for (int i = 0; i < SERIES_PER_BATCH; i++) {
            b.addSeries(series("flow_controlled", Map.of("host", "h" + i, "padding", "x".repeat(200)), ts, i));
        }
        return b.build();
    }
}
