package io.tidemark.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.LabelMatcher;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.SeriesPoints;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.Metrics;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two days of 20 s samples ingested through gRPC, rolled up by the real job, queried through QueryService: the tier
 * answers equal hand-computed raw answers (quantiles within the sketch's 1 %), the planner picks the tier the step
 * allows, and a late sample is answered from raw samples until its buckets are recomputed.
 */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class RollupTest {

    private static final String TENANT = "rollup-test";
    private static final long HOUR = 3_600_000;
    private static final long INTERVAL = 20_000;
    /** Two whole UTC days, ending at the start of yesterday. */
    private static final long START = RollupTier.DAY.bucketOf(System.currentTimeMillis()) - 3 * 86_400_000L;
    private static final int N = (int) (2 * 86_400_000L / INTERVAL);
    private static final double[][] GAUGES = new double[3][N];
    private static final double[] COUNTER = new double[N];

    @Inject
    RollupJob job;

    private static GrpcTestClient client;
    private static QueryServiceGrpc.QueryServiceBlockingStub query;

    @BeforeAll
    static void load() {
        client = new GrpcTestClient();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), TENANT);
        query = QueryServiceGrpc.newBlockingStub(client.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        java.util.Random random = new java.util.Random(42);
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        for (int h = 0; h < 3; h++) {
            TimeSeries.Builder s = TimeSeries.newBuilder().setName("r_gauge").putLabels("host", "h" + h);
            for (int k = 0; k < N; k++) {
                GAUGES[h][k] = Math.round((100 * (h + 1) + random.nextGaussian() * 20) * 100) / 100.0;
                s.addSamples(Sample.newBuilder().setTimestampMs(START + k * INTERVAL).setValue(GAUGES[h][k]));
            }
            batch.addSeries(s);
        }
        TimeSeries.Builder c = TimeSeries.newBuilder().setName("r_counter").putLabels("host", "h0");
        double total = 0;
        for (int k = 0; k < N; k++) {
            total = k % 1000 == 999 ? 2 : total + random.nextInt(5); // a reset every 1,000 samples
            COUNTER[k] = total;
            c.addSamples(Sample.newBuilder().setTimestampMs(START + k * INTERVAL).setValue(total));
        }
        batch.addSeries(c);
        client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(batch).build());
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    private void rollUp() {
        job.runOnce(System.currentTimeMillis()).await().atMost(Duration.ofMinutes(2));
    }

    private static List<SeriesPoints> range(String metric, String host, long step, Aggregation.Function f, double q) {
        List<SeriesPoints> all = new ArrayList<>();
        query.range(RangeRequest.newBuilder()
                .setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric(metric).addMatchers(LabelMatcher
                        .newBuilder().setName("host").setType(LabelMatcher.Type.TYPE_EQUAL).setValue(host)))
                .setStartMs(START).setEndMs(START + N * INTERVAL - 1).setStepMs(step)
                .setOverTime(Aggregation.newBuilder().setFunction(f).setQuantile(q)).build())
                .forEachRemaining(r -> all.addAll(r.getSeriesList()));
        return all;
    }

    private static double[] values(List<SeriesPoints> series) {
        assertEquals(1, series.size());
        return series.get(0).getPointsList().stream().mapToDouble(Sample::getValue).toArray();
    }

    /** The raw answer, computed here from the generated samples. */
    private static double[] expected(double[] samples, long step, Aggregation.Function f, double q) {
        int perBucket = (int) (step / INTERVAL);
        double[] out = new double[N / perBucket];
        for (int b = 0; b < out.length; b++) {
            double[] v = Arrays.copyOfRange(samples, b * perBucket, (b + 1) * perBucket);
            out[b] = switch (f) {
                case FUNCTION_AVG -> Arrays.stream(v).sum() / v.length;
                case FUNCTION_SUM -> Arrays.stream(v).sum();
                case FUNCTION_MIN -> Arrays.stream(v).min().orElseThrow();
                case FUNCTION_MAX -> Arrays.stream(v).max().orElseThrow();
                case FUNCTION_COUNT -> v.length;
                case FUNCTION_LAST -> v[v.length - 1];
                case FUNCTION_QUANTILE -> {
                    double[] sorted = v.clone();
                    Arrays.sort(sorted);
                    yield sorted[(int) Math.floor(q * (sorted.length - 1))];
                }
                case FUNCTION_INCREASE -> {
                    double inc = 0;
                    for (int k = b * perBucket; k < (b + 1) * perBucket; k++) {
                        if (k > 0) {
                            inc += samples[k] >= samples[k - 1] ? samples[k] - samples[k - 1] : samples[k];
                        }
                    }
                    yield inc;
                }
                default -> throw new IllegalArgumentException(f.toString());
            };
        }
        return out;
    }

    private static void assertClose(double[] expected, double[] actual, double relative) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], Math.abs(expected[i]) * relative + 1e-12, "bucket " + i);
        }
    }

    private static double segments(String source) {
        return Metrics.value("tidemark_query_segments_total{source=\"" + source + "\"}");
    }

    @Test
    void tierAnswersEqualRawAnswersAndTheStepPicksTheTier() {
        rollUp();
        assertTrue(Db.count("SELECT count(*) FROM rollups_1h") >= 48 * 4, "hours rolled up");
        assertTrue(Db.count("SELECT count(*) FROM rollups_1d") >= 2 * 4, "days rolled up");
        for (Aggregation.Function f : List.of(Aggregation.Function.FUNCTION_AVG, Aggregation.Function.FUNCTION_SUM,
                Aggregation.Function.FUNCTION_MIN, Aggregation.Function.FUNCTION_MAX, Aggregation.Function.FUNCTION_COUNT,
                Aggregation.Function.FUNCTION_LAST)) {
            for (long step : new long[] { 60_000, 5 * 60_000, HOUR, 6 * HOUR, 24 * HOUR }) {
                assertClose(expected(GAUGES[1], step, f, 0), values(range("r_gauge", "h1", step, f, 0)), 1e-12);
            }
        }
        for (double q : new double[] { 0.5, 0.95, 0.99 }) {
            assertClose(expected(GAUGES[2], HOUR, Aggregation.Function.FUNCTION_QUANTILE, q),
                    values(range("r_gauge", "h2", HOUR, Aggregation.Function.FUNCTION_QUANTILE, q)), 0.01);
        }
        for (long step : new long[] { 60_000, HOUR, 3 * HOUR }) {
            assertArrayEquals(expected(COUNTER, step, Aggregation.Function.FUNCTION_INCREASE, 0),
                    values(range("r_counter", "h0", step, Aggregation.Function.FUNCTION_INCREASE, 0)), "step " + step);
        }

        // merged across hosts h1 and h2 (h0 gets a late sample in another test) in SQL, from the 1h tier
        for (Aggregation.Function across : List.of(Aggregation.Function.FUNCTION_AVG, Aggregation.Function.FUNCTION_MIN)) {
            double[] h1 = expected(GAUGES[1], HOUR, Aggregation.Function.FUNCTION_MAX, 0);
            double[] h2 = expected(GAUGES[2], HOUR, Aggregation.Function.FUNCTION_MAX, 0);
            double[] merged = new double[h1.length];
            for (int b = 0; b < merged.length; b++) {
                merged[b] = across == Aggregation.Function.FUNCTION_AVG ? (h1[b] + h2[b]) / 2 : Math.min(h1[b], h2[b]);
            }
            List<SeriesPoints> all = new ArrayList<>();
            query.range(RangeRequest.newBuilder().setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric("r_gauge")
                    .addMatchers(LabelMatcher.newBuilder().setName("host").setType(LabelMatcher.Type.TYPE_NOT_EQUAL)
                            .setValue("h0")))
                    .setStartMs(START).setEndMs(START + N * INTERVAL - 1).setStepMs(HOUR)
                    .setOverTime(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_MAX))
                    .setAcross(io.tidemark.proto.v1.SeriesAggregation.newBuilder()
                            .setAggregation(Aggregation.newBuilder().setFunction(across)))
                    .build()).forEachRemaining(r -> all.addAll(r.getSeriesList()));
            assertClose(merged, values(all), 1e-12);
        }
    }

    @Test
    void thePlannerPicksTheCoarsestTierTheStepAllows() {
        rollUp();
        double raw = segments("raw");
        double minute = segments("1m");
        double hour = segments("1h");
        double day = segments("1d");
        range("r_gauge", "h0", 2 * HOUR, Aggregation.Function.FUNCTION_MAX, 0);
        assertEquals(hour + 1, segments("1h"));
        range("r_gauge", "h0", 24 * HOUR, Aggregation.Function.FUNCTION_MIN, 0);
        assertEquals(day + 1, segments("1d"));
        range("r_gauge", "h0", 10 * 60_000, Aggregation.Function.FUNCTION_SUM, 0);
        assertEquals(minute + 1, segments("1m"));
        assertEquals(raw, segments("raw"), "nothing of those came from raw samples");
        range("r_gauge", "h0", 90_000, Aggregation.Function.FUNCTION_AVG, 0); // no tier divides 90 s
        assertEquals(raw + 1, segments("raw"));
    }

    @Test
    void aLateSampleIsAnsweredFromRawSamplesUntilItsBucketsAreRecomputed() {
        rollUp();
        long late = START + 30 * HOUR + 5_000; // between two samples of hour 30
        client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(MetricBatch.newBuilder().addSeries(
                GrpcTestClient.series("r_gauge", java.util.Map.of("host", "h0"), late, 1e6))).build());
        assertTrue(Db.count("SELECT count(*) FROM rollup_dirty WHERE tier = '1m' AND bucket = ?",
                RollupTier.MINUTE.bucketOf(late)) == 1, "its minute is marked for recomputation");
        double[] before = values(range("r_gauge", "h0", HOUR, Aggregation.Function.FUNCTION_MAX, 0));
        assertEquals(1e6, before[30], "answered from raw samples at once");
        rollUp();
        assertEquals(0, Db.count("SELECT count(*) FROM rollup_dirty WHERE tier <> 'chunks' AND bucket <= ?", late), "recomputed through every tier");
        double raw = segments("raw");
        double[] after = values(range("r_gauge", "h0", HOUR, Aggregation.Function.FUNCTION_COUNT, 0));
        assertEquals(raw, segments("raw"), "from the 1h tier again");
        assertEquals(HOUR / INTERVAL + 1, after[30], "the hour holds the late sample");
        double[] days = values(range("r_gauge", "h0", 24 * HOUR, Aggregation.Function.FUNCTION_MAX, 0));
        assertEquals(1e6, days[1], "and so does its day");
    }
}
