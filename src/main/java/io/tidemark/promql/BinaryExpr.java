package io.tidemark.promql;

import java.util.Objects;

/**
 * A binary operation {@code lhs op lhs}.
 *
 * @param returnBool     the {@code bool} modifier of a comparison (return 0/1 instead of filtering)
 * @param vectorMatching the vector matching when both operands are instant vectors; null otherwise (as in
 *                       Prometheus, where it is dropped for operations involving a scalar)
 */
public record BinaryExpr(Operator op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching vectorMatching)
        implements Expr {

    public BinaryExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(lhs, "lhs");
        Objects.requireNonNull(rhs, "rhs");
    }

    /** Scalar if both operands are scalars, an instant vector otherwise. */
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
                ? ValueType.SCALAR : ValueType.INSTANT_VECTOR;
    }

    @Override
    public String toString() {
        return PromQLPrinter.format(this);
    }
}
