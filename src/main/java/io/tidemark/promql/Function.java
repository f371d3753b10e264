package io.tidemark.promql;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.tidemark.promql.ValueType.INSTANT_VECTOR;
import static io.tidemark.promql.ValueType.RANGE_VECTOR;
import static io.tidemark.promql.ValueType.SCALAR;
import static io.tidemark.promql.ValueType.STRING;

/**
 * A PromQL function: its argument types, how many optional trailing arguments it takes, and its return type —
 * the table of Prometheus 2.42 ({@code promql/parser/functions.go}).
 *
 * @param variadic 0: exactly {@code argTypes.size()} arguments; n &gt; 0: the last argument type may be omitted
 *                 or repeated up to n times in total; -1: the last argument type may be repeated without limit
 *                 (and be omitted)
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {

    public Function {
        argTypes = List.copyOf(argTypes);
    }

    /** All functions by name. */
    public static final Map<String, Function> ALL;

    static {
        Map<String, Function> m = new TreeMap<>();
        for (String n : List.of("abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos",
                "cosh", "deg", "exp", "floor", "histogram_count", "histogram_sum", "ln", "log10", "log2", "rad",
                "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "tan", "tanh", "timestamp")) {
            put(m, n, List.of(INSTANT_VECTOR), 0, INSTANT_VECTOR);
        }
        for (String n : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv",
                "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time",
                "present_over_time", "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time")) {
            put(m, n, List.of(RANGE_VECTOR), 0, INSTANT_VECTOR);
        }
        for (String n : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            put(m, n, List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR);
        }
        put(m, "clamp", List.of(INSTANT_VECTOR, SCALAR, SCALAR), 0, INSTANT_VECTOR);
        put(m, "clamp_max", List.of(INSTANT_VECTOR, SCALAR), 0, INSTANT_VECTOR);
        put(m, "clamp_min", List.of(INSTANT_VECTOR, SCALAR), 0, INSTANT_VECTOR);
        put(m, "histogram_fraction", List.of(SCALAR, SCALAR, INSTANT_VECTOR), 0, INSTANT_VECTOR);
        put(m, "histogram_quantile", List.of(SCALAR, INSTANT_VECTOR), 0, INSTANT_VECTOR);
        put(m, "holt_winters", List.of(RANGE_VECTOR, SCALAR, SCALAR), 0, INSTANT_VECTOR);
        put(m, "label_replace", List.of(INSTANT_VECTOR, STRING, STRING, STRING, STRING), 0, INSTANT_VECTOR);
        put(m, "label_join", List.of(INSTANT_VECTOR, STRING, STRING, STRING), -1, INSTANT_VECTOR);
        put(m, "pi", List.of(), 0, SCALAR);
        put(m, "predict_linear", List.of(RANGE_VECTOR, SCALAR), 0, INSTANT_VECTOR);
        put(m, "quantile_over_time", List.of(SCALAR, RANGE_VECTOR), 0, INSTANT_VECTOR);
        put(m, "round", List.of(INSTANT_VECTOR, SCALAR), 1, INSTANT_VECTOR);
        put(m, "scalar", List.of(INSTANT_VECTOR), 0, SCALAR);
        put(m, "time", List.of(), 0, SCALAR);
        put(m, "vector", List.of(SCALAR), 0, INSTANT_VECTOR);
        ALL = Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, Function> m, String name, List<ValueType> args, int variadic, ValueType ret) {
        m.put(name, new Function(name, args, variadic, ret));
    }

    /** The function of that name (case-sensitive, as in Prometheus). */
    public static Optional<Function> lookup(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** The minimum number of arguments. */
    public int minArgs() {
        return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
    }

    /** The maximum number of arguments, or {@link Integer#MAX_VALUE}. */
    public int maxArgs() {
        if (variadic == 0) {
            return argTypes.size();
        }
        return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
    }

    /** The expected type of argument {@code i} (variadic arguments repeat the last type). */
    public ValueType argType(int i) {
        return argTypes.get(Math.min(i, argTypes.size() - 1));
    }
}
