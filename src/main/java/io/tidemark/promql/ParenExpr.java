package io.tidemark.promql;

import java.util.Objects;

/** A parenthesized expression; kept in the AST so that printing preserves the grouping. */
public record ParenExpr(Expr expr) implements Expr {
    public ParenExpr {
        Objects.requireNonNull(expr, "expr");
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
