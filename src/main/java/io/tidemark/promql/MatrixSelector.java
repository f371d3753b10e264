package io.tidemark.promql;

import java.util.Objects;

/**
 * A range vector selector {@code selector[range]}. Its offset and {@code @} modifier (written after the range,
 * {@code foo[5m] offset 1h}) are held by the inner {@link VectorSelector}, as in Prometheus.
 */
public record MatrixSelector(VectorSelector vector, long rangeMillis) implements Expr {
    public MatrixSelector {
        Objects.requireNonNull(vector, "vector");
    }

    @Override
    public ValueType type() {
        return ValueType.RANGE_VECTOR;
    }

    @Override
    public String toString() {
        return PromQLPrinter.format(this);
    }
}
