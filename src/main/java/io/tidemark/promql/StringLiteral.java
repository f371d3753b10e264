package io.tidemark.promql;

import java.util.Objects;

/** A string literal, unquoted: {@code "a\tb"}, {@code 'x'}, or a raw {@code `...`} string. */
public record StringLiteral(String value) implements Expr {
    public StringLiteral {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public String toString() {
        return PromQLPrinter.format(this);
    }
}
