package io.tidemark.promql;

import java.util.List;
import java.util.Objects;

/**
 * An aggregation: {@code sum by (job) (rate(x[5m]))}, {@code topk(5, x)}, {@code count_values("v", x)}.
 *
 * @param param    the parameter of {@code topk}, {@code bottomk}, {@code quantile}, {@code count_values}; null for
 *                 the others
 * @param grouping the labels of {@code by (...)} or {@code without (...)}; empty if none
 * @param without  true for {@code without}
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without)
        implements Expr {

    public AggregateExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(expr, "expr");
        grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
        return ValueType.INSTANT_VECTOR;
    }

    @Override
    public String toString() {
        return PromQLPrinter.format(this);
    }
}
