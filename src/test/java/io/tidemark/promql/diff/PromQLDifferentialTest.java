package io.tidemark.promql.diff;

import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.promql.diff.ExpressionSet.Expression;
import io.tidemark.promql.diff.PromApiClient.Answer;
import io.tidemark.testing.TidemarkTestResource;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The differential PromQL suite: the same generated data written by remote write to a real Prometheus 2.42 and to
 * Tidemark, every expression of {@code promql-diff/expressions.promql} asked of both's HTTP API as instant and range
 * queries, and the JSON answers compared ({@link ResultComparator}). Fails listing every expression whose answers
 * differ, unless the allow-list names it with its reason (and docs/promql.md lists it); an allow-listed expression
 * that no longer differs fails too, so the list only shrinks.
 *
 * <p>Each expression is asked at every instant time and range of {@link DiffFixture};
 * {@code -Dtidemark.promql-diff.quick=true} asks each at 3 instant times and 2 ranges only (rotating).
 */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class PromQLDifferentialTest {

    private static final Path DOCS = Path.of("docs/promql.md");
    /** A sample in an answer: {@code [<time>,"<value>"]}. */
    private static final java.util.regex.Pattern SAMPLE = java.util.regex.Pattern.compile("\\[[0-9.]+,\"");
    private static final Path REPORT = Path.of("target/promql-diff-report.txt");

    @TestHTTPResource("/")
    URL tidemarkUrl;

    /** One expression's differing calls (none: equal), and how many of Prometheus' answers held a sample. */
    private record Outcome(Expression expression, List<String> details, int answersWithData, List<String> wording) {
    }

    @Test
    void tidemarkAnswersEveryExpressionAsPrometheusDoes() throws Exception {
        long started = System.nanoTime();
        PromApiClient prometheus = DiffFixture.prometheus();
        PromApiClient tidemark = new PromApiClient(tidemarkUrl.toString(), DiffFixture.TENANT);
        DiffFixture.writeAll(tidemark, "tidemark");
        DiffFixture.awaitAllVisible(tidemark, "tidemark");
        long loaded = System.nanoTime();

        boolean quick = Boolean.getBoolean("tidemark.promql-diff.quick");
        List<Expression> expressions = ExpressionSet.expressions(DiffFixture.EXPRESSIONS);
        Map<String, String> allowed = ExpressionSet.allowList(DiffFixture.ALLOW_LIST);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Outcome>> results = new ArrayList<>();
        int calls = 0;
        try {
            for (int i = 0; i < expressions.size(); i++) {
                Expression expression = expressions.get(i);
                List<QueryCall> asked = DiffFixture.callsFor(i, 3, 2, quick);
                calls += asked.size();
                results.add(pool.submit(() -> compare(prometheus, tidemark, expression, asked)));
            }
            List<Outcome> mismatches = new ArrayList<>();
            List<String> wording = new ArrayList<>();
            int withData = 0;
            for (Future<Outcome> result : results) {
                Outcome outcome = result.get();
                withData += outcome.answersWithData();
                wording.addAll(outcome.wording());
                if (!outcome.details().isEmpty()) {
                    mismatches.add(outcome);
                }
            }
            // Most answers must hold samples, or the suite would mostly compare empty lists.
            if (withData < calls / 2) {
                fail("only " + withData + " of " + calls + " Prometheus answers hold a sample");
            }
            report(expressions.size(), calls, withData, mismatches, wording, allowed, started, loaded);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome compare(PromApiClient prometheus, PromApiClient tidemark, Expression expression,
            List<QueryCall> calls) throws IOException, InterruptedException {
        List<String> details = new ArrayList<>();
        int withData = 0;
        List<String> wording = new ArrayList<>();
        for (QueryCall call : calls) {
            Answer expected = prometheus.query(call, expression.prometheus());
            if (expected.status() == 200 && SAMPLE.matcher(expected.body()).find()) {
                withData++;
            }
            Answer actual = tidemark.query(call, expression.tidemark());
            List<String> differences = ResultComparator.compare(expected, actual,
                    DiffFixture.orderOf(call, expression.prometheus()));
            String words = ResultComparator.errorWording(expected, actual);
            if (words != null) {
                wording.add(expression.line() + "  [" + call + "]\n    " + words);
            }
            if (!differences.isEmpty()) {
                details.add("  [" + call + "]\n    " + String.join("\n    ", differences));
            }
        }
        return new Outcome(expression, details, withData, wording);
    }

    private static void report(int expressions, int calls, int withData, List<Outcome> mismatches,
            List<String> wording, Map<String, String> allowed, long started, long loaded) throws IOException {
        StringBuilder unexpected = new StringBuilder();
        StringBuilder known = new StringBuilder();
        Map<String, String> stale = new TreeMap<>(allowed);
        int unexpectedCount = 0;
        for (Outcome m : mismatches) {
            String text = m.expression().line() + "\n" + String.join("\n", m.details()) + "\n";
            if (allowed.containsKey(m.expression().line())) {
                stale.remove(m.expression().line());
                known.append(text).append("  known: ").append(allowed.get(m.expression().line())).append('\n');
            } else {
                unexpected.append(text);
                unexpectedCount++;
            }
        }
        String docs = Files.exists(DOCS) ? Files.readString(DOCS, StandardCharsets.UTF_8) : "";
        List<String> undocumented = allowed.keySet().stream().filter(e -> !docs.contains(e)).toList();
        String summary = String.format("PromQL differential suite: %d expressions, %d calls per server (%d answers"
                + " with samples), %d expressions differ (%d allow-listed); data loaded in %.1f s, queries in %.1f s%n",
                expressions, calls, withData, mismatches.size(), mismatches.size() - unexpectedCount, (loaded - started) / 1e9,
                (System.nanoTime() - loaded) / 1e9);
        String report = summary + "\n== differences not in the allow-list\n" + unexpected
                + "\n== allow-listed differences\n" + known
                + "\n== same error type, other wording (not a failure)\n" + String.join("\n", wording) + "\n";
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report, StandardCharsets.UTF_8);
        System.out.print(summary);

        StringBuilder failure = new StringBuilder();
        if (unexpectedCount > 0) {
            failure.append(unexpectedCount).append(" expressions answer differently from Prometheus 2.42 (full report in ")
                    .append(REPORT).append("):\n").append(unexpected);
        }
        if (!stale.isEmpty()) {
            failure.append("allow-listed but no longer different (remove them from ").append(DiffFixture.ALLOW_LIST)
                    .append(" and docs/promql.md): ").append(stale.keySet()).append('\n');
        }
        if (!undocumented.isEmpty()) {
            failure.append("allow-listed but not listed in docs/promql.md: ").append(undocumented).append('\n');
        }
        if (failure.length() > 0) {
            fail(failure.toString());
        }
    }
}
