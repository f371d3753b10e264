package io.tidemark.promql.eval;

import io.tidemark.promql.Expr;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.PromQLParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's API: planned fetch ranges, the sample limit, range-query checks and asynchronous execution. */
class EngineTest {

    private static final long MIN = 60_000;

    private final Engine engine = new Engine();

    private static SelectRequest only(List<SelectRequest> plan) {
        assertEquals(1, plan.size(), plan.toString());
        return plan.get(0);
    }

    private static List<Long> range(SelectRequest r) {
        return List.of(r.minTimeMs(), r.maxTimeMs());
    }

    @Test
    void planInstantSelectorReadsTheLookbackWindow() {
        SelectRequest r = only(engine.plan(PromQLParser.parse("up{job=\"a\"}"), 100 * MIN, 100 * MIN, 0));
        assertEquals(List.of(95 * MIN, 100 * MIN), range(r));
        assertTrue(r.matchers().contains(LabelMatcher.equal("__name__", "up")));
        assertTrue(r.matchers().contains(LabelMatcher.equal("job", "a")));
    }

    @Test
    void planRangeQueryCoversEveryStep() {
        SelectRequest r = only(engine.plan(PromQLParser.parse("rate(up[10m] offset 1h)"), 100 * MIN, 200 * MIN,
                MIN));
        assertEquals(List.of(100 * MIN - 10 * MIN - 60 * MIN, 200 * MIN - 60 * MIN), range(r));
    }

    @Test
    void planAtModifierPinsTheRange() {
        SelectRequest r = only(engine.plan(PromQLParser.parse("up @ 600 offset 1m"), 100 * MIN, 200 * MIN, MIN));
        assertEquals(List.of(600_000 - 5 * MIN - MIN, 600_000 - MIN), range(r));
        SelectRequest end = only(engine.plan(PromQLParser.parse("up[2m] @ end()"), 100 * MIN, 200 * MIN, MIN));
        assertEquals(List.of(198 * MIN, 200 * MIN), range(end));
    }

    @Test
    void planSubqueriesAddTheirRangeAndOffset() {
        SelectRequest r = only(engine.plan(PromQLParser.parse("max_over_time(rate(up[5m])[1h:1m] offset 10m)"),
                100 * MIN, 100 * MIN, 0));
        assertEquals(List.of(100 * MIN - 10 * MIN - 60 * MIN - 5 * MIN, 100 * MIN - 10 * MIN), range(r));
        SelectRequest at = only(engine.plan(PromQLParser.parse("max_over_time(up[10m:1m] @ 6000)"), 0, 0, 0));
        assertEquals(List.of(6_000_000 - 10 * MIN - 5 * MIN, 6_000_000L), range(at));
    }

    @Test
    void planDeduplicatesIdenticalRequests() {
        List<SelectRequest> plan = engine.plan(PromQLParser.parse("up + up * on() group_left up{job=\"x\"}"),
                0, 0, 0);
        assertEquals(2, plan.size(), plan.toString());
        assertTrue(engine.plan(PromQLParser.parse("1 + time()"), 0, 0, 0).isEmpty());
    }

    private static RawSeries series(String name, String job, int samples, long interval) {
        long[] ts = new long[samples];
        double[] vs = new double[samples];
        for (int i = 0; i < samples; i++) {
            ts[i] = i * interval;
            vs[i] = i;
        }
        return new RawSeries(Labels.of("__name__", name, "job", job), ts, vs);
    }

    private QueryResult run(Engine e, String query, long start, long end, long step, List<RawSeries> data) {
        Expr expr = PromQLParser.parse(query);
        return e.execute(new InMemorySeriesSource(data), Runnable::run, expr, start, end, step).await()
                .atMost(Duration.ofSeconds(10));
    }

    @Test
    void sampleLimitCountsSelectedAndHeldSamples() {
        List<RawSeries> data = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            data.add(series("m", "j" + i, 61, 10_000));
        }
        // As in Prometheus, one series' window (31 samples) is held at a time, plus the results so far (10).
        Engine roomy = new Engine(EngineOptions.defaults().withMaxSamples(41));
        Engine tight = new Engine(EngineOptions.defaults().withMaxSamples(40));
        assertInstanceOf(QueryResult.Vector.class, run(roomy, "sum(count_over_time(m[5m]))", 600_000, 600_000, 0,
                data));
        QueryLimitException ex = assertThrows(QueryLimitException.class,
                () -> run(tight, "sum(count_over_time(m[5m]))", 600_000, 600_000, 0, data));
        assertEquals("query processing would load too many samples into memory in query execution",
                ex.getMessage());
        // A range query holds its input (10 series × 61 steps) and its output while it runs.
        Engine small = new Engine(EngineOptions.defaults().withMaxSamples(700));
        assertInstanceOf(QueryResult.Matrix.class, run(small, "sum(m)", 0, 600_000, 10_000, data));
        assertThrows(QueryLimitException.class, () -> run(small, "m + 0", 0, 600_000, 10_000, data));
    }

    @Test
    void rangeQueryParametersAreChecked() {
        Expr expr = PromQLParser.parse("up");
        assertEquals("end timestamp must not be before start time", assertThrows(IllegalArgumentException.class,
                () -> engine.evaluate(expr, 10, 5, 1, Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.evaluate(expr, 0, 10, 0, Map.of()));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> engine.evaluate(expr, 0, 11_001_000, 1_000, Map.of())).getMessage()
                .startsWith("exceeded maximum resolution of 11,000 points per timeseries"));
        assertThrows(IllegalArgumentException.class, () -> engine.evaluate(expr, 0, 0, 0, Map.of()),
                "a selector without its fetched series is a caller error");
    }

    @Test
    void evaluateIsPureOverTheFetchedSeries() {
        Expr expr = PromQLParser.parse("sum(m)");
        List<RawSeries> data = List.of(series("m", "a", 10, MIN), series("m", "b", 10, MIN));
        InMemorySeriesSource source = new InMemorySeriesSource(data);
        Map<SelectRequest, List<RawSeries>> fetched = new java.util.HashMap<>();
        for (SelectRequest r : engine.plan(expr, 0, 9 * MIN, 3 * MIN)) {
            fetched.put(r, source.selectNow(r));
        }
        QueryResult.Matrix m = assertInstanceOf(QueryResult.Matrix.class,
                engine.evaluate(expr, 0, 9 * MIN, 3 * MIN, fetched));
        assertEquals(1, m.series().size());
        assertEquals(List.of(0.0, 6.0, 12.0, 18.0),
                java.util.Arrays.stream(m.series().get(0).values()).boxed().toList());
        assertEquals(Labels.EMPTY, m.series().get(0).labels());
    }

    @Test
    void executeEvaluatesOnTheCpuPool() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "promql-cpu"));
        try {
            AtomicReference<String> thread = new AtomicReference<>();
            SeriesSource source = request -> {
                return io.smallrye.mutiny.Uni.createFrom().item(
                        () -> new InMemorySeriesSource(List.of(series("m", "a", 10, MIN))).selectNow(request));
            };
            Engine e = new Engine();
            QueryResult r = e.execute(source, pool, PromQLParser.parse("m + 1"), 5 * MIN, 5 * MIN, 0)
                    .invoke(x -> thread.set(Thread.currentThread().getName()))
                    .await().atMost(Duration.ofSeconds(10));
            assertEquals("promql-cpu", thread.get());
            QueryResult.Vector v = assertInstanceOf(QueryResult.Vector.class, r);
            assertEquals(6.0, v.samples().get(0).v());
            assertEquals(5 * MIN, v.samples().get(0).t());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void storageFailuresReachTheCaller() {
        SeriesSource failing = request -> io.smallrye.mutiny.Uni.createFrom()
                .failure(new QueryLimitException("too many series"));
        QueryLimitException ex = assertThrows(QueryLimitException.class, () -> engine
                .execute(failing, Runnable::run, PromQLParser.parse("up"), 0, 0, 0).await()
                .atMost(Duration.ofSeconds(10)));
        assertEquals("too many series", ex.getMessage());
    }

    @Test
    void instantQueryResultKinds() {
        List<RawSeries> data = List.of(series("m", "a", 10, MIN));
        assertEquals(new QueryResult.Scalar(MIN, 2.0), run(engine, "scalar(m) + 1", MIN, MIN, 0, data));
        assertEquals(new QueryResult.StringValue(MIN, "x"), run(engine, "\"x\"", MIN, MIN, 0, data));
        QueryResult.Matrix m = assertInstanceOf(QueryResult.Matrix.class, run(engine, "m[2m]", 3 * MIN, 3 * MIN, 0,
                data));
        assertEquals(List.of(MIN, 2 * MIN, 3 * MIN),
                java.util.Arrays.stream(m.series().get(0).timestamps()).boxed().toList());
    }

    @Test
    void labelsHelpers() {
        Labels l = Labels.of("__name__", "up", "job", "a", "instance", "x\"y");
        assertEquals("{__name__=\"up\", instance=\"x\\\"y\", job=\"a\"}", l.toPromString());
        assertEquals(Labels.of("instance", "x\"y", "job", "a"), l.withoutMetricName());
        assertEquals(Labels.of("job", "a"), l.keep(List.of("job", "zone")));
        assertEquals(Labels.of("__name__", "up", "job", "b", "instance", "x\"y"), l.with("job", "b"));
        assertEquals(Labels.of("__name__", "up", "instance", "x\"y"), l.with("job", ""));
        assertEquals(Labels.of("__name__", "up", "a", "1", "job", "a", "instance", "x\"y"), l.with("a", "1"));
    }
}
