package io.tidemark.promql.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.promql.diff.ExpressionSet.Expression;
import io.tidemark.promql.diff.PromApiClient.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The differential suite checked against Prometheus alone: its data lands, the expression set gets real answers
 * (most of them non-empty), Prometheus compared with itself shows no difference, and the same answers with a value
 * moved by 1e-6 do.
 */
class PrometheusSelfDiffTest {

    @Test
    void prometheusAgreesWithItselfAndNotWithAPerturbedCopy() throws Exception {
        PromApiClient prometheus = DiffFixture.prometheus();
        List<Expression> expressions = ExpressionSet.expressions(DiffFixture.EXPRESSIONS);
        QueryCall instant = DiffFixture.instantCalls().get(0);
        QueryCall range = DiffFixture.rangeCalls().get(2);
        int nonEmpty = 0;
        int errors = 0;
        int perturbed = 0;
        List<String> selfDifferences = new ArrayList<>();
        for (Expression e : expressions) {
            for (QueryCall call : List.of(instant, range)) {
                Answer first = prometheus.query(call, e.prometheus());
                Answer second = prometheus.query(call, e.prometheus());
                List<String> d = ResultComparator.compare(first, second, DiffFixture.orderOf(call, e.prometheus()));
                if (!d.isEmpty()) {
                    selfDifferences.add(e.line() + " [" + call + "]: " + d);
                }
                if (first.status() != 200) {
                    errors++;
                    continue;
                }
                String value = firstSampleValue(first.body());
                if (value == null) {
                    continue;
                }
                nonEmpty++;
                Double v = ResultComparator.parseValue(value);
                // subnormal values have too few bits to move by 1e-6
                if (v != null && Double.isFinite(v) && Math.abs(v) > 1e-300) {
                    String moved = first.body().replaceFirst("\"" + java.util.regex.Pattern.quote(value) + "\"",
                            "\"" + (v * (1 + 1e-6)) + "\"");
                    assertTrue(!ResultComparator.compare(first, new Answer(200, moved), DiffFixture.orderOf(call,
                            e.prometheus())).isEmpty(), "a value moved by 1e-6 in " + e.line());
                    perturbed++;
                }
            }
        }
        assertEquals(List.of(), selfDifferences, "Prometheus disagrees with itself");
        // Most expressions must find data, or the suite compares empty answers.
        int asked = expressions.size() * 2;
        assertTrue(nonEmpty > asked * 6 / 10, nonEmpty + " of " + asked + " answers hold a sample");
        assertTrue(perturbed > asked / 2, perturbed + " perturbed answers");
        assertTrue(errors > 30 && errors < asked / 5, errors + " errors of " + asked + " answers");
    }

    /** The value of the first sample in a vector, matrix or scalar answer, as written; null when there is none. */
    private static String firstSampleValue(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[[0-9.]+,\"([^\"]*)\"\\]").matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
