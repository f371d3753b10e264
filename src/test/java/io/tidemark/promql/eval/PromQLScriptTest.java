package io.tidemark.promql.eval;

import io.tidemark.promql.Expr;
import io.tidemark.promql.PromQLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the scripts in {@code src/test/resources/io/tidemark/promql/eval/*.test} through {@link Engine#execute}
 * against an in-memory source. Their expected answers were checked against Prometheus 2.42 with
 * {@code check_with_prometheus.py} (beside the scripts) unless marked {@code # no-oracle}.
 */
class PromQLScriptTest {

    static final List<String> SCRIPTS = List.of("selectors.test", "operators.test", "aggregations.test",
            "functions.test", "range_functions.test", "subqueries.test", "at_modifier.test", "histograms.test",
            "errors.test");

    private final Engine engine = new Engine();

    @TestFactory
    Stream<DynamicNode> scripts() throws IOException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (String name : SCRIPTS) {
            String text;
            try (InputStream in = PromQLScriptTest.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("missing script " + name);
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<DynamicTest> tests = new ArrayList<>();
            for (PromQLScript.Eval e : PromQLScript.parse(name, text)) {
                tests.add(DynamicTest.dynamicTest(e.name(), () -> run(e)));
            }
            nodes.add(DynamicContainer.dynamicContainer(name, tests));
        }
        return nodes.stream();
    }

    private void run(PromQLScript.Eval e) {
        Expr expr = PromQLParser.parse(e.expr());
        InMemorySeriesSource source = new InMemorySeriesSource(e.data());
        long step = e.range() ? e.step() : 0;
        if (e.fail()) {
            RuntimeException ex = assertThrows(RuntimeException.class,
                    () -> execute(source, expr, e.start(), e.end(), step));
            if (e.error() != null) {
                assertEquals(e.error(), ex.getMessage());
            }
            return;
        }
        QueryResult r = execute(source, expr, e.start(), e.end(), step);
        if (e.string() != null) {
            QueryResult.StringValue s = assertInstanceOf(QueryResult.StringValue.class, r);
            assertEquals(e.string(), s.value());
            return;
        }
        if (e.scalar() != null) {
            QueryResult.Scalar s = assertInstanceOf(QueryResult.Scalar.class, r);
            assertEquals(e.start(), s.t());
            assertClose(e.scalar(), s.v(), "scalar");
            return;
        }
        if (r instanceof QueryResult.Vector v) {
            checkVector(e, v);
        } else if (r instanceof QueryResult.Matrix m) {
            checkMatrix(e, m);
        } else {
            fail("unexpected result " + r);
        }
    }

    private static QueryResult execute(InMemorySeriesSource source, Expr expr, long start, long end, long step) {
        Engine engine = new Engine();
        try {
            return engine.execute(source, Runnable::run, expr, start, end, step).await()
                    .atMost(Duration.ofSeconds(30));
        } finally {
            // Every fetch the engine made was one it planned.
            assertEquals(engine.plan(expr, start, end, step).size(), source.requests.size(), "requests");
        }
    }

    private static void checkVector(PromQLScript.Eval e, QueryResult.Vector v) {
        List<QueryResult.Sample> got = new ArrayList<>(v.samples());
        List<PromQLScript.Expected> want = new ArrayList<>(e.expected());
        if (!e.ordered()) {
            got.sort(Comparator.comparing(QueryResult.Sample::labels));
            want.sort(Comparator.comparing(PromQLScript.Expected::labels));
        }
        assertEquals(describe(want), describeSamples(got), "labels of the vector");
        for (int i = 0; i < got.size(); i++) {
            assertEquals(e.start(), got.get(i).t());
            assertClose(want.get(i).values().get(0), got.get(i).v(), want.get(i).labels().toPromString());
        }
    }

    private static void checkMatrix(PromQLScript.Eval e, QueryResult.Matrix m) {
        List<PromQLScript.Expected> want = new ArrayList<>(e.expected());
        want.sort(Comparator.comparing(PromQLScript.Expected::labels));
        List<QueryResult.Series> got = m.series();
        assertEquals(describe(want), describeSeries(got), "series of the matrix");
        for (int i = 0; i < got.size(); i++) {
            PromQLScript.Expected w = want.get(i);
            QueryResult.Series s = got.get(i);
            List<Long> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            if (w.times() != null) {
                times.addAll(w.times());
                values.addAll(w.values());
            } else {
                for (int k = 0; k < w.values().size(); k++) {
                    if (w.values().get(k) != null) {
                        times.add(e.start() + k * e.step());
                        values.add(w.values().get(k));
                    }
                }
            }
            List<Long> gotTimes = new ArrayList<>();
            for (long t : s.timestamps()) {
                gotTimes.add(t);
            }
            assertEquals(times, gotTimes, "timestamps of " + w.labels().toPromString());
            for (int k = 0; k < values.size(); k++) {
                assertClose(values.get(k), s.values()[k], w.labels().toPromString() + " at " + times.get(k));
            }
        }
    }

    private static String describe(List<PromQLScript.Expected> es) {
        return es.stream().map(x -> x.labels().toPromString()).toList().toString();
    }

    private static String describeSamples(List<QueryResult.Sample> ss) {
        return ss.stream().map(x -> x.labels().toPromString()).toList().toString();
    }

    private static String describeSeries(List<QueryResult.Series> ss) {
        return ss.stream().map(x -> x.labels().toPromString()).toList().toString();
    }

    static void assertClose(double want, double got, String what) {
        if (Double.isNaN(want) || Double.isInfinite(want)) {
            assertEquals(want, got, what);
            return;
        }
        double tolerance = Math.max(1e-12, Math.abs(want) * 1e-9);
        if (Math.abs(want - got) > tolerance) {
            assertEquals(want, got, what);
        }
    }
}
