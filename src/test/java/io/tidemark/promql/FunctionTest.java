package io.tidemark.promql;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionTest {

    /** Prometheus 2.42's promql/parser/functions.go, entry by entry. */
    private static final List<String> PROMETHEUS_2_42 = List.of(
                "abs(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "absent(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "absent_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "acos(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "acosh(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "asin(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "asinh(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "atan(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "atanh(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "avg_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "ceil(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "changes(RANGE_VECTOR) -> INSTANT_VECTOR",
                "clamp(INSTANT_VECTOR,SCALAR,SCALAR) -> INSTANT_VECTOR",
                "clamp_max(INSTANT_VECTOR,SCALAR) -> INSTANT_VECTOR",
                "clamp_min(INSTANT_VECTOR,SCALAR) -> INSTANT_VECTOR",
                "cos(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "cosh(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "count_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "day_of_month(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR",
                "day_of_week(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR",
                "day_of_year(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR",
                "days_in_month(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR",
                "deg(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "delta(RANGE_VECTOR) -> INSTANT_VECTOR",
                "deriv(RANGE_VECTOR) -> INSTANT_VECTOR",
                "exp(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "floor(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "histogram_count(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "histogram_fraction(SCALAR,SCALAR,INSTANT_VECTOR) -> INSTANT_VECTOR",
                "histogram_quantile(SCALAR,INSTANT_VECTOR) -> INSTANT_VECTOR",
                "histogram_sum(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "holt_winters(RANGE_VECTOR,SCALAR,SCALAR) -> INSTANT_VECTOR",
                "hour(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR",
                "idelta(RANGE_VECTOR) -> INSTANT_VECTOR",
                "increase(RANGE_VECTOR) -> INSTANT_VECTOR",
                "irate(RANGE_VECTOR) -> INSTANT_VECTOR",
                "label_join(INSTANT_VECTOR,STRING,STRING,STRING) variadic=-1 -> INSTANT_VECTOR",
                "label_replace(INSTANT_VECTOR,STRING,STRING,STRING,STRING) -> INSTANT_VECTOR",
                "last_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "ln(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "log10(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "log2(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "max_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "min_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "minute(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR",
                "month(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR",
                "pi() -> SCALAR",
                "predict_linear(RANGE_VECTOR,SCALAR) -> INSTANT_VECTOR",
                "present_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "quantile_over_time(SCALAR,RANGE_VECTOR) -> INSTANT_VECTOR",
                "rad(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "rate(RANGE_VECTOR) -> INSTANT_VECTOR",
                "resets(RANGE_VECTOR) -> INSTANT_VECTOR",
                "round(INSTANT_VECTOR,SCALAR) variadic=1 -> INSTANT_VECTOR",
                "scalar(INSTANT_VECTOR) -> SCALAR",
                "sgn(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "sin(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "sinh(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "sort(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "sort_desc(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "sqrt(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "stddev_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "stdvar_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "sum_over_time(RANGE_VECTOR) -> INSTANT_VECTOR",
                "tan(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "tanh(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "time() -> SCALAR",
                "timestamp(INSTANT_VECTOR) -> INSTANT_VECTOR",
                "vector(SCALAR) -> INSTANT_VECTOR",
                "year(INSTANT_VECTOR) variadic=1 -> INSTANT_VECTOR");

    private static String signature(Function f) {
        String args = f.argTypes().stream().map(Enum::name).collect(Collectors.joining(","));
        return f.name() + "(" + args + ")" + (f.variadic() == 0 ? "" : " variadic=" + f.variadic()) + " -> "
                + f.returnType();
    }

    @Test
    void tableMatchesPrometheus() {
        assertEquals(PROMETHEUS_2_42, Function.ALL.values().stream().map(FunctionTest::signature).sorted().toList());
    }

    @Test
    void argumentCounts() {
        Function round = Function.lookup("round").orElseThrow();
        assertEquals(1, round.minArgs());
        assertEquals(2, round.maxArgs());
        Function labelJoin = Function.lookup("label_join").orElseThrow();
        assertEquals(3, labelJoin.minArgs());
        assertEquals(Integer.MAX_VALUE, labelJoin.maxArgs());
        assertEquals(ValueType.STRING, labelJoin.argType(7));
        assertEquals(0, Function.lookup("time").orElseThrow().maxArgs());
        assertTrue(Function.lookup("Rate").isEmpty());
    }
}
