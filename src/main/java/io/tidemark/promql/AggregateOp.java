package io.tidemark.promql;

import java.util.Locale;

/** The aggregation operators. {@link #hasParam()} tells which take a parameter before the vector. */
public enum AggregateOp {
    SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR,
    TOPK(ValueType.SCALAR), BOTTOMK(ValueType.SCALAR), QUANTILE(ValueType.SCALAR), COUNT_VALUES(ValueType.STRING);

    private final ValueType paramType;

    AggregateOp() {
        this(null);
    }

    AggregateOp(ValueType paramType) {
        this.paramType = paramType;
    }

    public boolean hasParam() {
        return paramType != null;
    }

    /** The type of the parameter ({@code null} for operators without one). */
    public ValueType paramType() {
        return paramType;
    }

    /** The PromQL spelling, e.g. {@code count_values}. */
    public String promqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return promqlName();
    }
}
