package io.tidemark.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.SeriesAggregation;
import io.tidemark.proto.v1.SeriesPoints;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.Metrics;
import io.tidemark.testing.TestServices;
import io.tidemark.testing.TidemarkTestResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis cache of closed buckets, observed from outside: answers are always those PostgreSQL gives, a refresh
 * computes only its new tail (Tidemark's own counters tell), late samples invalidate, and Redis may go away.
 */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class QueryCacheTest {

    private static final long STEP = 60_000;
    /** 20 minutes of history, ending 20 minutes ago: every bucket is closed. */
    private static final long BASE = Math.floorDiv(System.currentTimeMillis() - 40 * 60_000, STEP) * STEP;
    private static final int SAMPLES = 120;
    private static final String[][] HOSTS = { { "h1", "eu" }, { "h2", "eu" }, { "h3", "us" } };

    private static GrpcTestClient client;

    @BeforeAll
    static void connect() {
        client = new GrpcTestClient();
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    /** Host i (1-based) has value i*100 + k at BASE + k*10 s. */
    private static void loadHistory(String tenant, String metric) {
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        for (int i = 0; i < HOSTS.length; i++) {
            TimeSeries.Builder s = TimeSeries.newBuilder().setName(metric).putLabels("host", HOSTS[i][0])
                    .putLabels("region", HOSTS[i][1]);
            for (int k = 0; k < SAMPLES; k++) {
                s.addSamples(Sample.newBuilder().setTimestampMs(BASE + k * 10_000L).setValue((i + 1) * 100 + k));
            }
            batch.addSeries(s);
        }
        write(tenant, batch);
    }

    private static void write(String tenant, MetricBatch.Builder batch) {
        client.blocking(tenant).write(WriteRequest.newBuilder().setBatch(batch).build());
    }

    private static QueryServiceGrpc.QueryServiceBlockingStub query(String tenant) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), tenant);
        return QueryServiceGrpc.newBlockingStub(client.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** avg over each minute, then avg per region, over buckets [from, to). */
    private static RangeRequest.Builder perRegion(String metric, long fromMs, long toMs, Aggregation.Function f) {
        return RangeRequest.newBuilder().setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric(metric))
                .setStartMs(fromMs).setEndMs(toMs - 1).setStepMs(STEP)
                .setOverTime(Aggregation.newBuilder().setFunction(f))
                .setAcross(SeriesAggregation.newBuilder()
                        .setAggregation(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_AVG))
                        .addGroupBy("region"));
    }

    private static Map<String, List<Sample>> run(String tenant, RangeRequest.Builder request) {
        Map<String, List<Sample>> byRegion = new TreeMap<>();
        query(tenant).range(request.build()).forEachRemaining(r -> {
            for (SeriesPoints s : r.getSeriesList()) {
                byRegion.put(s.getLabelsOrDefault("region", ""), new ArrayList<>(s.getPointsList()));
            }
        });
        return byRegion;
    }

    private static double[] values(List<Sample> points) {
        return points.stream().mapToDouble(Sample::getValue).toArray();
    }

    /** Hand-computed: minute j holds k = 6j..6j+5, so a host's average is i*100 + 6j + 2.5. */
    private static double[] expectedAvg(double hostMean, int fromBucket, int toBucket) {
        double[] v = new double[toBucket - fromBucket];
        for (int j = fromBucket; j < toBucket; j++) {
            v[j - fromBucket] = hostMean + 6 * j + 2.5;
        }
        return v;
    }

    private record Counts(double hits, double misses, double computed, double invalidations) {
        static Counts now() {
            return new Counts(Metrics.value("tidemark_query_cache_hits_total"),
                    Metrics.value("tidemark_query_cache_misses_total"),
                    Metrics.value("tidemark_query_buckets_computed_total"),
                    Metrics.value("tidemark_query_cache_invalidations_total"));
        }

        Counts since(Counts before) {
            return new Counts(hits - before.hits, misses - before.misses, computed - before.computed,
                    invalidations - before.invalidations);
        }
    }

    @Test
    void aRefreshComputesOnlyTheNewTail() {
        loadHistory("cache-refresh", "c_cpu");
        Counts start = Counts.now();
        Map<String, List<Sample>> first = run("cache-refresh",
                perRegion("c_cpu", BASE, BASE + 10 * STEP, Aggregation.Function.FUNCTION_AVG));
        Counts cold = Counts.now().since(start);
        assertEquals(new Counts(0, 10, 10, 0), cold, "a cold query computes its 10 closed buckets");
        assertArrayEquals(expectedAvg(150, 0, 10), values(first.get("eu")));
        assertArrayEquals(expectedAvg(300, 0, 10), values(first.get("us")));

        // the dashboard refreshes: the window moved on by one bucket
        Counts beforeRefresh = Counts.now();
        Map<String, List<Sample>> refreshed = run("cache-refresh",
                perRegion("c_cpu", BASE + STEP, BASE + 11 * STEP, Aggregation.Function.FUNCTION_AVG));
        assertEquals(new Counts(9, 1, 1, 0), Counts.now().since(beforeRefresh), "only the new bucket is computed");
        assertArrayEquals(expectedAvg(150, 1, 11), values(refreshed.get("eu")));
        assertArrayEquals(expectedAvg(300, 1, 11), values(refreshed.get("us")));
        assertEquals(BASE + STEP, refreshed.get("eu").get(0).getTimestampMs());
        assertTrue(Metrics.value("tidemark_query_cache_read_bytes_total") > 0);
        assertTrue(Metrics.value("tidemark_query_cache_written_bytes_total") > 0);

        // another aggregation is another shape: nothing shared
        Counts beforeMax = Counts.now();
        run("cache-refresh", perRegion("c_cpu", BASE, BASE + 10 * STEP, Aggregation.Function.FUNCTION_MAX));
        assertEquals(10, Counts.now().since(beforeMax).misses());
    }

    @Test
    void emptyClosedBucketsAreCachedAnswersToo() {
        loadHistory("cache-empty", "c_gap");
        long afterData = BASE + SAMPLES * 10_000L; // 20 minutes of history, then nothing
        run("cache-empty", perRegion("c_gap", afterData - 2 * STEP, afterData + 5 * STEP, Aggregation.Function.FUNCTION_AVG));
        Counts before = Counts.now();
        Map<String, List<Sample>> again = run("cache-empty",
                perRegion("c_gap", afterData - 2 * STEP, afterData + 5 * STEP, Aggregation.Function.FUNCTION_AVG));
        assertEquals(new Counts(7, 0, 0, 0), Counts.now().since(before));
        assertArrayEquals(expectedAvg(150, 18, 20), values(again.get("eu")));
    }

    @Test
    void theOpenBucketIsRecomputedAndFreshSamplesInvalidateNothing() {
        String tenant = "cache-open";
        long now = System.currentTimeMillis();
        Map<String, String> labels = Map.of("host", "h1", "region", "eu");
        write(tenant, MetricBatch.newBuilder().addSeries(GrpcTestClient.series("c_live", labels, now - 2_000, 1)));
        RangeRequest.Builder window = perRegion("c_live", now - 5 * STEP, now + 1, Aggregation.Function.FUNCTION_LAST);
        List<Sample> first = run(tenant, window).get("eu");
        assertEquals(1, first.get(first.size() - 1).getValue());

        Counts before = Counts.now();
        write(tenant, MetricBatch.newBuilder().addSeries(GrpcTestClient.series("c_live", labels, now - 1_999, 2)));
        List<Sample> second = run(tenant, window).get("eu");
        Counts delta = Counts.now().since(before);
        assertEquals(2, second.get(second.size() - 1).getValue(), "the open bucket is never served as final");
        assertEquals(0, delta.invalidations(), "on-time samples invalidate nothing");
        assertTrue(delta.computed() >= 1, "the open bucket was computed again: " + delta);
    }

    @Test
    void aLateSampleInvalidatesItsMetricsCachedBuckets() {
        String tenant = "cache-late";
        loadHistory(tenant, "c_mem");
        loadHistory(tenant, "c_disk");
        RangeRequest.Builder window = perRegion("c_mem", BASE, BASE + 10 * STEP, Aggregation.Function.FUNCTION_SUM);
        run(tenant, window);
        Counts before = Counts.now();
        run(tenant, window);
        assertEquals(10, Counts.now().since(before).hits());

        // a late sample of another metric leaves c_mem's buckets alone
        write(tenant, MetricBatch.newBuilder().addSeries(GrpcTestClient.series("c_disk",
                Map.of("host", "h1", "region", "eu"), BASE + 3 * STEP + 5_000, 1000)));
        before = Counts.now();
        run(tenant, window);
        assertEquals(10, Counts.now().since(before).hits());

        // a late sample in minute 3 of c_mem: host h1's sum there grows by 1000, so eu's average by 500
        write(tenant, MetricBatch.newBuilder().addSeries(GrpcTestClient.series("c_mem",
                Map.of("host", "h1", "region", "eu"), BASE + 3 * STEP + 5_000, 1000)));
        before = Counts.now();
        Map<String, List<Sample>> after = run(tenant, window);
        Counts delta = Counts.now().since(before);
        assertEquals(0, delta.hits(), "nothing stale is served: " + delta);
        double[] expected = new double[10];
        for (int j = 0; j < 10; j++) {
            expected[j] = (6 * (100 + 200) + 2 * (36 * j + 15)) / 2.0 + (j == 3 ? 500 : 0);
        }
        assertArrayEquals(expected, values(after.get("eu")));
    }

    @Test
    void queriesAnswerWithoutRedisAndUseItAgainWhenItIsBack() throws Exception {
        String tenant = "cache-outage";
        loadHistory(tenant, "c_net");
        RangeRequest.Builder window = perRegion("c_net", BASE, BASE + 10 * STEP, Aggregation.Function.FUNCTION_AVG);
        run(tenant, window);

        TestServices.stopRedis();
        try {
            for (int i = 0; i < 3; i++) {
                Counts before = Counts.now();
                Map<String, List<Sample>> answer = run(tenant, window);
                assertArrayEquals(expectedAvg(150, 0, 10), values(answer.get("eu")));
                assertEquals(0, Counts.now().since(before).hits());
            }
        } finally {
            TestServices.startRedis();
        }
        // the fresh Redis is empty; within a few checks the cache fills and answers again, without a restart
        long deadline = System.currentTimeMillis() + 15_000;
        double hits = 0;
        while (hits < 10 && System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            Counts before = Counts.now();
            Map<String, List<Sample>> answer = run(tenant, window);
            assertArrayEquals(expectedAvg(150, 0, 10), values(answer.get("eu")));
            hits = Counts.now().since(before).hits();
        }
        assertEquals(10, hits, "the cache is used again once Redis is back");
    }

    @Test
    void lateSamplesWhileRedisIsUnreachableDropTheCacheOnceItAnswersAgain() throws Exception {
        String tenant = "cache-pause";
        loadHistory(tenant, "c_io");
        RangeRequest.Builder window = perRegion("c_io", BASE, BASE + 10 * STEP, Aggregation.Function.FUNCTION_MAX);
        run(tenant, window);
        // Redis keeps its data but stops answering: the late sample's invalidation cannot reach it
        TestServices.redisCommand("CLIENT", "PAUSE", "2000");
        write(tenant, MetricBatch.newBuilder().addSeries(GrpcTestClient.series("c_io",
                Map.of("host", "h1", "region", "eu"), BASE + 5 * STEP + 1, 5000)));
        long deadline = System.currentTimeMillis() + 15_000;
        double[] expected = new double[10];
        for (int j = 0; j < 10; j++) {
            expected[j] = ((100 + 6 * j + 5) + (200 + 6 * j + 5)) / 2.0 + (j == 5 ? (5000 - (100 + 6 * 5 + 5)) / 2.0 : 0);
        }
        double hits = 0;
        while (System.currentTimeMillis() < deadline) {
            Counts before = Counts.now();
            assertArrayEquals(expected, values(run(tenant, window).get("eu")), "never the stale maximum");
            hits = Counts.now().since(before).hits();
            if (hits == 10) {
                break;
            }
            Thread.sleep(300);
        }
        assertEquals(10, hits, "the cache is used again after Redis answers");
    }
}
