package io.tidemark.promql;

import java.util.Objects;

/**
 * A unary {@code -expr} or {@code +expr} ({@code op} is {@link Operator#SUB} or {@link Operator#ADD}). A sign in
 * front of a number literal is folded into the {@link NumberLiteral} instead.
 */
public record UnaryExpr(Operator op, Expr expr) implements Expr {
    public UnaryExpr {
        Objects.requireNonNull(expr, "expr");
        if (op != Operator.ADD && op != Operator.SUB) {
            throw new IllegalArgumentException("only + and - operators allowed for unary expressions");
        }
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public String toString() {
        return PromQLPrinter.format(this);
    }
}
