package io.tidemark.ingest;

import static io.tidemark.testing.GrpcTestClient.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.proto.v1.Rejection;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.proto.v1.WriteResponse;
import io.tidemark.storage.SeriesCensus;
import io.tidemark.storage.SeriesKey;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Series limits over real gRPC and PostgreSQL: 5 series per metric, 8 per tenant. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
@TestProfile(SeriesLimitTest.SmallLimits.class)
class SeriesLimitTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the tests recount themselves (census.refresh()), never in the middle of a test
            return Map.of("tidemark.ingest.max-series-per-metric", "5", "tidemark.ingest.max-series-per-tenant", "8",
                    "tidemark.ingest.series-count-refresh", "1h");
        }
    }

    private static GrpcTestClient client;

    @Inject
    SeriesCensus census;

    @BeforeAll
    static void connect() {
        client = new GrpcTestClient();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        client.close();
    }

    private static WriteResponse write(String tenant, MetricBatch batch) {
        return client.blocking(tenant).write(WriteRequest.newBuilder().setBatch(batch).build());
    }

    /** One sample for each host h{from}..h{to-1} of {@code metric}. */
    private static MetricBatch hosts(String metric, int from, int to, long ts) {
        MetricBatch.Builder b = MetricBatch.newBuilder();
        for (int h = from; h < to; h++) {
            b.addSeries(series(metric, Map.of("host", "h" + h), ts, h));
        }
        return b.build();
    }

    private static long seriesOf(String tenant) {
        return Db.count("SELECT count(*) FROM series WHERE tenant = ?", tenant);
    }

    private static StatusRuntimeException refused(String tenant, MetricBatch batch) {
        return assertThrows(StatusRuntimeException.class, () -> write(tenant, batch));
    }

    @Test
    void aMixedBatchStoresTheKnownSeriesAndRefusesTheNewOnes() {
        String tenant = "limit-mixed";
        long t = System.currentTimeMillis();
        assertEquals(5, write(tenant, hosts("lim_m", 0, 5, t - 1000)).getAccepted());
        // h0, new h5, h1..h4, new h6
        MetricBatch mixed = MetricBatch.newBuilder().addSeries(series("lim_m", Map.of("host", "h0"), t, 0))
                .addSeries(series("lim_m", Map.of("host", "h5"), t, 5)).addAllSeries(hosts("lim_m", 1, 5, t).getSeriesList())
                .addSeries(series("lim_m", Map.of("host", "h6"), t, 6)).build();
        WriteResponse response = write(tenant, mixed);
        assertEquals(5, response.getAccepted());
        assertEquals(2, response.getRejectedCount());
        Rejection first = response.getRejected(0);
        assertEquals(1, first.getSeriesIndex());
        assertEquals(-1, first.getSampleIndex());
        assertEquals("series[1]", first.getField());
        assertEquals("cardinality_limit", first.getCode());
        assertEquals("series limit reached: metric \"lim_m\" of tenant \"limit-mixed\" has 5 series (limit 5,"
                + " tidemark.ingest.max-series-per-metric)", first.getReason());
        assertEquals(6, response.getRejected(1).getSeriesIndex());
        assertEquals(10, Db.samplesOf(tenant, "lim_m"), "the known series' samples are stored");
        assertEquals(5, seriesOf(tenant));
    }

    @Test
    void withinOneBatchTheFirstSeriesThatFitAreStored() {
        String tenant = "limit-one-batch";
        WriteResponse response = write(tenant, hosts("lim_m", 0, 7, System.currentTimeMillis()));
        assertEquals(5, response.getAccepted());
        assertEquals(2, response.getRejectedCount());
        assertEquals(5, response.getRejected(0).getSeriesIndex());
        assertEquals(6, response.getRejected(1).getSeriesIndex());
        assertEquals(5, seriesOf(tenant));
    }

    @Test
    void aBatchOfOnlyNewSeriesOverTheLimitIsResourceExhaustedNamingTheKey() {
        String tenant = "limit-exhausted";
        long t = System.currentTimeMillis();
        write(tenant, hosts("lim_m", 0, 5, t));
        StatusRuntimeException e = refused(tenant, hosts("lim_m", 5, 7, t));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertEquals("every series of the batch is new and was refused: series limit reached: metric \"lim_m\" of tenant"
                + " \"limit-exhausted\" has 5 series (limit 5, tidemark.ingest.max-series-per-metric)",
                e.getStatus().getDescription());
        assertEquals(5, seriesOf(tenant));
        // the limit is per metric: another metric of the tenant still gets new series
        assertEquals(2, write(tenant, hosts("lim_other", 0, 2, t)).getAccepted());
    }

    @Test
    void onPushABatchOfOnlyNewSeriesOverTheLimitEndsTheStreamWithResourceExhausted() throws Exception {
        String tenant = "limit-push";
        long t = System.currentTimeMillis();
        write(tenant, hosts("lim_m", 0, 5, t));
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        StreamObserver<PushRequest> requests = client.async(tenant).push(new StreamObserver<>() {
            @Override
            public void onNext(PushResponse value) {
                done.completeExceptionally(new AssertionError("acknowledged: " + value));
            }

            @Override
            public void onError(Throwable error) {
                done.complete(error);
            }

            @Override
            public void onCompleted() {
                done.completeExceptionally(new AssertionError("the stream ended without an error"));
            }
        });
        requests.onNext(PushRequest.newBuilder().setSequence(7).setBatch(hosts("lim_m", 5, 6, t)).build());
        requests.onCompleted();
        StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, done.get(30, TimeUnit.SECONDS));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("batch 7: every series of the batch is new and was refused"),
                e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("tidemark.ingest.max-series-per-metric"));
    }

    @Test
    void theTenantLimitCountsEveryMetricOfTheTenant() {
        String tenant = "limit-tenant";
        long t = System.currentTimeMillis();
        write(tenant, hosts("lim_a", 0, 5, t - 1000));
        write(tenant, hosts("lim_b", 0, 3, t - 1000));
        StatusRuntimeException e = refused(tenant, hosts("lim_c", 0, 1, t));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().endsWith("series limit reached: tenant \"limit-tenant\" has 8 series"
                + " (limit 8, tidemark.ingest.max-series-per-tenant)"), e.getStatus().getDescription());
        // existing series of the tenant still flow next to a refused new one
        MetricBatch mixed = MetricBatch.newBuilder().addAllSeries(hosts("lim_b", 0, 3, t).getSeriesList())
                .addSeries(series("lim_c", Map.of("host", "h0"), t, 1)).build();
        WriteResponse response = write(tenant, mixed);
        assertEquals(3, response.getAccepted());
        assertEquals(1, response.getRejectedCount());
        assertEquals(3, response.getRejected(0).getSeriesIndex());
        assertTrue(response.getRejected(0).getReason().contains("tidemark.ingest.max-series-per-tenant"));
        assertEquals(8, seriesOf(tenant));
        assertEquals(6, Db.samplesOf(tenant, "lim_b"));
    }

    @Test
    void seriesStoredBeforeThisReplicaKnewThemStillFlowAtTheLimit() {
        // as after a restart, or when another replica created them: stored, counted, not in this registry's cache
        String tenant = "limit-elsewhere";
        for (int h = 0; h < 5; h++) {
            SeriesKey key = SeriesKey.of(tenant, "lim_m", Map.of("host", "h" + h));
            Db.execute("INSERT INTO series (id, tenant, name, labels) VALUES (?, ?, ?, ?::jsonb)", key.id(), tenant,
                    key.name(), key.labelsJson());
        }
        census.refresh().await().atMost(Duration.ofSeconds(30));
        WriteResponse response = write(tenant, hosts("lim_m", 0, 6, System.currentTimeMillis()));
        assertEquals(5, response.getAccepted());
        assertEquals(1, response.getRejectedCount());
        assertEquals(5, response.getRejected(0).getSeriesIndex());
        assertEquals(5, Db.samplesOf(tenant, "lim_m"));
    }

    @Test
    void theRecountFromPostgresqlCorrectsTheCounts() {
        String tenant = "limit-recount";
        long t = System.currentTimeMillis();
        write(tenant, hosts("lim_m", 0, 5, t));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused(tenant, hosts("lim_m", 5, 6, t)).getStatus().getCode());
        Db.execute("DELETE FROM series WHERE tenant = ? AND labels = '{\"host\":\"h4\"}'::jsonb", tenant);
        census.refresh().await().atMost(Duration.ofSeconds(30));
        assertEquals(1, write(tenant, hosts("lim_m", 5, 6, t)).getAccepted(), "4 series stored: one more fits");
    }
}
