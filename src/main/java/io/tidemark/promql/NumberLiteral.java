package io.tidemark.promql;

/** A number: {@code 1}, {@code -2.5e3}, {@code 0x1F}, {@code Inf}, {@code NaN}. A leading sign is folded in. */
public record NumberLiteral(double value) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    @Override
    public String toString() {
        return PromQLPrinter.format(this);
    }
}
