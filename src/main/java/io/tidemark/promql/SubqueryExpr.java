package io.tidemark.promql;

import java.util.Objects;

/**
 * A subquery {@code expr[range:step]}.
 *
 * @param stepMillis   the resolution; 0 when omitted ({@code expr[5m:]}: the evaluator uses its default)
 * @param offsetMillis the {@code offset}, 0 if none
 * @param at           the {@code @} modifier, or null
 */
public record SubqueryExpr(Expr expr, long rangeMillis, long stepMillis, long offsetMillis, AtModifier at)
        implements Expr {
    public SubqueryExpr {
        Objects.requireNonNull(expr, "expr");
    }

    public SubqueryExpr withOffset(long offsetMillis) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, offsetMillis, at);
    }

    public SubqueryExpr withAt(AtModifier at) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, offsetMillis, at);
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
