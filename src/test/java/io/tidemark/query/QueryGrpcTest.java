package io.tidemark.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.LabelMatcher;
import io.tidemark.proto.v1.LabelNamesRequest;
import io.tidemark.proto.v1.LabelValuesRequest;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.RangeResponse;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.SeriesAggregation;
import io.tidemark.proto.v1.SeriesPoints;
import io.tidemark.proto.v1.SeriesRequest;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Range, Series and label queries over real gRPC, against data ingested through IngestService. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class QueryGrpcTest {

    private static final String TENANT = "query-test";
    private static final long STEP = 60_000;
    private static final long BASE = Math.floorDiv(System.currentTimeMillis() - 1_800_000, STEP) * STEP;
    private static GrpcTestClient client;
    private static QueryServiceGrpc.QueryServiceBlockingStub query;

    @BeforeAll
    static void load() {
        client = new GrpcTestClient();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), TENANT);
        query = QueryServiceGrpc.newBlockingStub(client.channel()).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(headers));
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        // h1: 1..6 in the first minute, 10..60 in the second; h2: always 100; h3 (region us): always 7
        batch.addSeries(series("h1", "eu", new double[] { 1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60 }));
        batch.addSeries(series("h2", "eu", constant(100)));
        batch.addSeries(series("h3", "us", constant(7)));
        // a series that ended: two values and Prometheus' staleness marker, which is not a value
        batch.addSeries(TimeSeries.newBuilder().setName("q_stale").putLabels("host", "h9")
                .addSamples(Sample.newBuilder().setTimestampMs(BASE).setValue(1))
                .addSamples(Sample.newBuilder().setTimestampMs(BASE + 10_000).setValue(3))
                .addSamples(Sample.newBuilder().setTimestampMs(BASE + 20_000)
                        .setValue(Double.longBitsToDouble(0x7ff0000000000002L))));
        // a counter that resets in the second minute
        TimeSeries.Builder counter = TimeSeries.newBuilder().setName("q_requests").putLabels("host", "h1");
        double[] counts = { 0, 10, 20, 30, 40, 50, 60, 70, 5, 15, 25, 35 };
        for (int i = 0; i < counts.length; i++) {
            counter.addSamples(Sample.newBuilder().setTimestampMs(BASE + i * 10_000L).setValue(counts[i]));
        }
        batch.addSeries(counter);
        client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(batch).build());
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    private static double[] constant(double v) {
        double[] values = new double[12];
        java.util.Arrays.fill(values, v);
        return values;
    }

    private static TimeSeries series(String host, String region, double[] values) {
        TimeSeries.Builder s = TimeSeries.newBuilder().setName("q_cpu").putLabels("host", host).putLabels("region", region);
        for (int i = 0; i < values.length; i++) {
            s.addSamples(Sample.newBuilder().setTimestampMs(BASE + i * 10_000L).setValue(values[i]));
        }
        return s.build();
    }

    private static LabelMatcher matcher(String name, LabelMatcher.Type type, String value) {
        return LabelMatcher.newBuilder().setName(name).setType(type).setValue(value).build();
    }

    private static RangeRequest.Builder range(Aggregation.Function f, LabelMatcher... matchers) {
        return RangeRequest.newBuilder()
                .setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric("q_cpu").addAllMatchers(List.of(matchers)))
                .setStartMs(BASE).setEndMs(BASE + 2 * STEP - 1).setStepMs(STEP)
                .setOverTime(Aggregation.newBuilder().setFunction(f).setQuantile(0.5));
    }

    private static List<SeriesPoints> run(RangeRequest.Builder request) {
        List<SeriesPoints> all = new ArrayList<>();
        query.range(request.build()).forEachRemaining((RangeResponse r) -> all.addAll(r.getSeriesList()));
        return all;
    }

    private static double[] valuesOf(SeriesPoints s) {
        return s.getPointsList().stream().mapToDouble(Sample::getValue).toArray();
    }

    @Test
    void stalenessMarkersAreNotAggregated() {
        for (Aggregation.Function f : List.of(Aggregation.Function.FUNCTION_COUNT, Aggregation.Function.FUNCTION_MAX,
                Aggregation.Function.FUNCTION_AVG)) {
            RangeRequest.Builder request = range(f);
            request.getSelectorBuilder().setMetric("q_stale");
            List<SeriesPoints> answer = run(request);
            assertEquals(1, answer.size());
            double expected = f == Aggregation.Function.FUNCTION_COUNT ? 2 : f == Aggregation.Function.FUNCTION_MAX ? 3 : 2;
            assertEquals(expected, valuesOf(answer.get(0))[0], f.name());
        }
    }

    @Test
    void eachAggregationOverTimeMatchesAHandComputedAnswer() {
        LabelMatcher h1 = matcher("host", LabelMatcher.Type.TYPE_EQUAL, "h1");
        Map<Aggregation.Function, double[]> expected = Map.of(
                Aggregation.Function.FUNCTION_AVG, new double[] { 3.5, 35 },
                Aggregation.Function.FUNCTION_SUM, new double[] { 21, 210 },
                Aggregation.Function.FUNCTION_MIN, new double[] { 1, 10 },
                Aggregation.Function.FUNCTION_MAX, new double[] { 6, 60 },
                Aggregation.Function.FUNCTION_COUNT, new double[] { 6, 6 },
                Aggregation.Function.FUNCTION_LAST, new double[] { 6, 60 },
                Aggregation.Function.FUNCTION_QUANTILE, new double[] { 3, 30 }); // rank floor(0.5 * 5) = 2
        expected.forEach((f, values) -> {
            List<SeriesPoints> result = run(range(f, h1));
            assertEquals(1, result.size(), f.name());
            SeriesPoints s = result.get(0);
            assertEquals("h1", s.getLabelsMap().get("host"));
            assertEquals("q_cpu", s.getLabelsMap().get("__name__"));
            assertEquals(BASE, s.getPoints(0).getTimestampMs(), "points are stamped with their bucket's start");
            assertEquals(BASE + STEP, s.getPoints(1).getTimestampMs());
            assertEquals(List.of(values[0], values[1]), List.of(valuesOf(s)[0], valuesOf(s)[1]), f.name());
        });
    }

    @Test
    void increaseAndRateHandleCounterResets() {
        RangeRequest.Builder increase = range(Aggregation.Function.FUNCTION_INCREASE)
                .setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric("q_requests"));
        double[] inc = valuesOf(run(increase).get(0));
        // first minute: 0 -> 50 (its first sample has no predecessor); second: 50 -> 70, reset to 5, -> 35
        assertEquals(50, inc[0]);
        assertEquals(10 + 10 + 5 + 10 + 10 + 10, inc[1]);
        double[] rate = valuesOf(run(increase.setOverTime(Aggregation.newBuilder()
                .setFunction(Aggregation.Function.FUNCTION_RATE))).get(0));
        assertEquals(55 / 60.0, rate[1], 1e-12);
    }

    @Test
    void batchAnswersEachQueryWithItsIndexAndIsolatesFailures() {
        var batch = io.tidemark.proto.v1.BatchRequest.newBuilder()
                .addQueries(range(Aggregation.Function.FUNCTION_MAX, matcher("host", LabelMatcher.Type.TYPE_EQUAL, "h1")))
                .addQueries(range(Aggregation.Function.FUNCTION_AVG).setStepMs(0))
                .addQueries(range(Aggregation.Function.FUNCTION_COUNT)).build();
        Map<Integer, io.tidemark.proto.v1.BatchResponse> answers = new java.util.HashMap<>();
        query.batch(batch).forEachRemaining(r -> answers.put(r.getQueryIndex(), r));
        assertEquals(3, answers.size());
        assertEquals(60, valuesOf(answers.get(0).getResult().getSeries(0))[1]);
        assertTrue(answers.get(1).getError().contains("INVALID_ARGUMENT") && answers.get(1).getError().contains("step_ms"),
                answers.get(1).getError());
        assertEquals(3, answers.get(2).getResult().getSeriesCount());
    }

    @Test
    void instantAggregatesTheWindowEndingAtTime() {
        long time = BASE + 115_000; // window (BASE + 55s, BASE + 115s]: h1's samples 60 (at 60s) .. 60 (at 110s)
        var response = query.instant(io.tidemark.proto.v1.InstantRequest.newBuilder()
                .setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric("q_cpu")
                        .addMatchers(matcher("host", LabelMatcher.Type.TYPE_EQUAL, "h1")))
                .setTimeMs(time).setWindowMs(60_000)
                .setOverTime(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_AVG)).build());
        assertEquals(1, response.getSeriesCount());
        assertEquals(time, response.getSeries(0).getPoints(0).getTimestampMs());
        assertEquals(35, response.getSeries(0).getPoints(0).getValue());
        // (BASE + 50s, BASE + 60s]: only the sample at 60s (value 10); the one at 50s is outside, the window is left-open
        var edge = query.instant(io.tidemark.proto.v1.InstantRequest.newBuilder()
                .setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric("q_cpu")
                        .addMatchers(matcher("host", LabelMatcher.Type.TYPE_EQUAL, "h1")))
                .setTimeMs(BASE + 60_000).setWindowMs(10_000)
                .setOverTime(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_SUM)).build());
        assertEquals(10, edge.getSeries(0).getPoints(0).getValue());
    }

    @Test
    void groupByCombinesSeriesPerBucket() {
        List<SeriesPoints> result = run(range(Aggregation.Function.FUNCTION_AVG).setAcross(SeriesAggregation.newBuilder()
                .setAggregation(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_SUM)).addGroupBy("region")));
        assertEquals(2, result.size());
        SeriesPoints eu = result.stream().filter(s -> "eu".equals(s.getLabelsMap().get("region"))).findFirst().orElseThrow();
        assertEquals(Map.of("region", "eu"), eu.getLabelsMap());
        assertEquals(103.5, valuesOf(eu)[0]);
        assertEquals(135, valuesOf(eu)[1]);
        SeriesPoints us = result.stream().filter(s -> "us".equals(s.getLabelsMap().get("region"))).findFirst().orElseThrow();
        assertEquals(7, valuesOf(us)[0]);
    }

    @Test
    void regexAndNegativeMatchersMatchWholeValues() {
        assertEquals(2, run(range(Aggregation.Function.FUNCTION_AVG, matcher("host", LabelMatcher.Type.TYPE_REGEX, "h[12]"))).size());
        assertEquals(0, run(range(Aggregation.Function.FUNCTION_AVG, matcher("host", LabelMatcher.Type.TYPE_REGEX, "h"))).size(),
                "a regex must match the whole value");
        assertEquals(2, run(range(Aggregation.Function.FUNCTION_AVG, matcher("host", LabelMatcher.Type.TYPE_NOT_REGEX, "h1"))).size());
        assertEquals(1, run(range(Aggregation.Function.FUNCTION_AVG, matcher("region", LabelMatcher.Type.TYPE_NOT_EQUAL, "eu"))).size());
    }

    @Test
    void anEmptyRangeAnswersNoSeries() {
        assertEquals(0, run(range(Aggregation.Function.FUNCTION_AVG).setStartMs(BASE - 10 * STEP).setEndMs(BASE - 5 * STEP)).size());
    }

    @Test
    void badRequestsNameTheField() {
        assertInvalid(range(Aggregation.Function.FUNCTION_AVG, matcher("host", LabelMatcher.Type.TYPE_REGEX, "h[")),
                "selector.matchers[0].value");
        assertInvalid(range(Aggregation.Function.FUNCTION_AVG).setEndMs(BASE - 1), "end_ms");
        assertInvalid(range(Aggregation.Function.FUNCTION_AVG).setStepMs(0), "step_ms");
        assertInvalid(range(Aggregation.Function.FUNCTION_AVG).setStepMs(1), "tidemark.query.max-buckets");
        assertInvalid(range(Aggregation.Function.FUNCTION_UNSPECIFIED).setOverTime(Aggregation.newBuilder().setFunctionValue(42)),
                "over_time.function");
    }

    private static void assertInvalid(RangeRequest.Builder request, String mentioned) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> run(request));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(mentioned), e.getStatus().getDescription());
    }

    @Test
    void seriesAndLabels() {
        var series = query.series(SeriesRequest.newBuilder().setSelector(io.tidemark.proto.v1.Selector.newBuilder()
                .setMetric("q_cpu").addMatchers(matcher("region", LabelMatcher.Type.TYPE_EQUAL, "eu")))
                .setStartMs(BASE).setEndMs(BASE + STEP).build());
        assertEquals(2, series.getSeriesCount());
        assertEquals(List.of("__name__", "host", "region"), query.labelNames(LabelNamesRequest.getDefaultInstance()).getNamesList());
        assertEquals(List.of("h1", "h2", "h3", "h9"),
                query.labelValues(LabelValuesRequest.newBuilder().setName("host").build()).getValuesList());
        assertEquals(List.of("q_cpu", "q_requests", "q_stale"),
                query.labelValues(LabelValuesRequest.newBuilder().setName("__name__").build()).getValuesList());
    }
}
