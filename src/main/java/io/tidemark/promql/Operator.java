package io.tidemark.promql;

/**
 * Binary operators (and {@link #ADD}/{@link #SUB}, which are also the unary operators), with Prometheus' precedence:
 * {@code ^} (right-associative) binds tightest, then {@code * / % atan2}, {@code + -}, comparisons,
 * {@code and unless}, and {@code or} loosest. Unary {@code -}/{@code +} sit between {@code ^} and {@code *}.
 */
public enum Operator {
    POW("^", 6),
    MUL("*", 5),
    DIV("/", 5),
    MOD("%", 5),
    ATAN2("atan2", 5),
    ADD("+", 4),
    SUB("-", 4),
    EQLC("==", 3),
    NEQ("!=", 3),
    LTE("<=", 3),
    LSS("<", 3),
    GTE(">=", 3),
    GTR(">", 3),
    AND("and", 2),
    UNLESS("unless", 2),
    OR("or", 1);

    private final String symbol;
    private final int precedence;

    Operator(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** How the operator is written in PromQL. */
    public String symbol() {
        return symbol;
    }

    /** Higher binds tighter (1 = {@code or}, 6 = {@code ^}). */
    public int precedence() {
        return precedence;
    }

    public boolean isRightAssociative() {
        return this == POW;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    public boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }

    @Override
    public String toString() {
        return symbol;
    }
}
