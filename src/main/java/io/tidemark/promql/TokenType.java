package io.tidemark.promql;

/** Lexer token types, mirroring Prometheus' item types. */
enum TokenType {
    EOF(Kind.OTHER), IDENTIFIER(Kind.OTHER), METRIC_IDENTIFIER(Kind.OTHER), NUMBER(Kind.OTHER),
    DURATION(Kind.OTHER), STRING(Kind.OTHER),

    LEFT_PAREN(Kind.PUNCT), RIGHT_PAREN(Kind.PUNCT), LEFT_BRACE(Kind.PUNCT), RIGHT_BRACE(Kind.PUNCT),
    LEFT_BRACKET(Kind.PUNCT), RIGHT_BRACKET(Kind.PUNCT), COMMA(Kind.PUNCT), EQL(Kind.PUNCT), COLON(Kind.PUNCT),

    ADD(Kind.OPERATOR), SUB(Kind.OPERATOR), MUL(Kind.OPERATOR), DIV(Kind.OPERATOR), MOD(Kind.OPERATOR),
    POW(Kind.OPERATOR), EQLC(Kind.OPERATOR), NEQ(Kind.OPERATOR), LTE(Kind.OPERATOR), LSS(Kind.OPERATOR),
    GTE(Kind.OPERATOR), GTR(Kind.OPERATOR), EQL_REGEX(Kind.OPERATOR), NEQ_REGEX(Kind.OPERATOR),
    LAND(Kind.OPERATOR), LOR(Kind.OPERATOR), LUNLESS(Kind.OPERATOR), ATAN2(Kind.OPERATOR), AT(Kind.OPERATOR),

    AVG(Kind.AGGREGATOR), BOTTOMK(Kind.AGGREGATOR), COUNT(Kind.AGGREGATOR), COUNT_VALUES(Kind.AGGREGATOR),
    GROUP(Kind.AGGREGATOR), MAX(Kind.AGGREGATOR), MIN(Kind.AGGREGATOR), QUANTILE(Kind.AGGREGATOR),
    STDDEV(Kind.AGGREGATOR), STDVAR(Kind.AGGREGATOR), SUM(Kind.AGGREGATOR), TOPK(Kind.AGGREGATOR),

    BOOL(Kind.KEYWORD), BY(Kind.KEYWORD), GROUP_LEFT(Kind.KEYWORD), GROUP_RIGHT(Kind.KEYWORD),
    IGNORING(Kind.KEYWORD), OFFSET(Kind.KEYWORD), ON(Kind.KEYWORD), WITHOUT(Kind.KEYWORD),

    START(Kind.PREPROCESSOR), END(Kind.PREPROCESSOR);

    enum Kind { OTHER, PUNCT, OPERATOR, AGGREGATOR, KEYWORD, PREPROCESSOR }

    final Kind kind;

    TokenType(Kind kind) {
        this.kind = kind;
    }

    /** Tokens that may name a metric at the start of a selector (Prometheus' {@code metric_identifier}). */
    boolean isMetricIdentifier() {
        return switch (this) {
            case IDENTIFIER, METRIC_IDENTIFIER, AVG, BOTTOMK, BY, COUNT, COUNT_VALUES, GROUP, LAND, LOR, LUNLESS,
                    MAX, MIN, OFFSET, QUANTILE, STDDEV, STDVAR, SUM, TOPK, WITHOUT, START, END -> true;
            default -> false;
        };
    }

    /** Tokens that may be a label name in a grouping list (Prometheus' {@code maybe_label}). */
    boolean isMaybeLabel() {
        return kind == Kind.AGGREGATOR || kind == Kind.KEYWORD || kind == Kind.PREPROCESSOR
                || this == IDENTIFIER || this == METRIC_IDENTIFIER || this == LAND || this == LOR
                || this == LUNLESS || this == ATAN2;
    }

    /** The binary operator of this token, or null. */
    Operator binaryOperator() {
        return switch (this) {
            case ADD -> Operator.ADD;
            case SUB -> Operator.SUB;
            case MUL -> Operator.MUL;
            case DIV -> Operator.DIV;
            case MOD -> Operator.MOD;
            case POW -> Operator.POW;
            case ATAN2 -> Operator.ATAN2;
            case EQLC -> Operator.EQLC;
            case NEQ -> Operator.NEQ;
            case LTE -> Operator.LTE;
            case LSS -> Operator.LSS;
            case GTE -> Operator.GTE;
            case GTR -> Operator.GTR;
            case LAND -> Operator.AND;
            case LOR -> Operator.OR;
            case LUNLESS -> Operator.UNLESS;
            default -> null;
        };
    }

    AggregateOp aggregateOp() {
        return kind == Kind.AGGREGATOR ? AggregateOp.valueOf(name()) : null;
    }
}
