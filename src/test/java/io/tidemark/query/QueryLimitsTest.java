package io.tidemark.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.Selector;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Query limits answer with the status and the key that was hit, never with an exhausted service. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
@TestProfile(QueryLimitsTest.SmallLimits.class)
class QueryLimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidemark.query.max-series", "3", "tidemark.query.max-points", "15",
                    "tidemark.query.max-buckets", "100");
        }
    }

    private static final long STEP = 60_000;
    private static final long BASE = Math.floorDiv(System.currentTimeMillis() - 3_600_000, STEP) * STEP;
    private static GrpcTestClient client;

    @BeforeAll
    static void load() {
        client = new GrpcTestClient();
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        // l_wide: 4 hosts, all active in the first 10 minutes; l_churn: 4 hosts, 2 of them only 30 minutes later
        for (int h = 0; h < 4; h++) {
            for (int m = 0; m < 10; m++) {
                batch.addSeries(GrpcTestClient.series("l_wide", Map.of("host", "h" + h), BASE + m * STEP, m));
                long churnTs = h < 2 ? BASE + m * STEP : BASE + (30 + m) * STEP;
                batch.addSeries(GrpcTestClient.series("l_churn", Map.of("host", "h" + h), churnTs, m));
            }
        }
        client.blocking("default").write(WriteRequest.newBuilder().setBatch(batch).build());
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    private static int points(String metric, long fromMs, long toMs, long step) {
        AtomicInteger points = new AtomicInteger();
        QueryServiceGrpc.newBlockingStub(client.channel()).range(RangeRequest.newBuilder()
                .setSelector(Selector.newBuilder().setMetric(metric)).setStartMs(fromMs).setEndMs(toMs - 1)
                .setStepMs(step).setOverTime(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_MAX))
                .build()).forEachRemaining(r -> r.getSeriesList().forEach(s -> points.addAndGet(s.getPointsCount())));
        return points.get();
    }

    private static StatusRuntimeException refused(String metric, long fromMs, long toMs, long step) {
        return assertThrows(StatusRuntimeException.class, () -> points(metric, fromMs, toMs, step));
    }

    @Test
    void moreActiveSeriesThanTheLimitIsResourceExhaustedNamingIt() {
        StatusRuntimeException e = refused("l_wide", BASE, BASE + 5 * STEP, STEP);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("tidemark.query.max-series"), e.getStatus().getDescription());
    }

    @Test
    void seriesWithoutSamplesInTheRangeDoNotCount() {
        assertEquals(2 * 3, points("l_churn", BASE, BASE + 3 * STEP, STEP), "2 active hosts x 3 buckets");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused("l_churn", BASE, BASE + 40 * STEP, STEP).getStatus().getCode());
    }

    @Test
    void moreThanMaxPointsIsResourceExhaustedNamingItCachedOrNot() {
        assertEquals(2 * 5, points("l_churn", BASE, BASE + 5 * STEP, STEP));
        // the first 5 buckets now come from the cache: the limit holds for the whole answer
        StatusRuntimeException e = refused("l_churn", BASE, BASE + 10 * STEP, STEP);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("tidemark.query.max-points"), e.getStatus().getDescription());
    }

    @Test
    void tooManyBucketsIsInvalidArgumentNamingTheLimit() {
        StatusRuntimeException e = refused("l_wide", BASE, BASE + 200 * STEP, STEP);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("tidemark.query.max-buckets"), e.getStatus().getDescription());
    }
}
