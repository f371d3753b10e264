package io.tidemark.promql;

/** A lexer token: its type, its 0-based start offset, and its text. */
record Token(TokenType type, int pos, String val) {

    int end() {
        return pos + val.length();
    }

    /** How Prometheus describes the token in "unexpected ..." messages. */
    String describe() {
        return switch (type) {
            case EOF -> "end of input";
            case IDENTIFIER -> "identifier " + GoText.quote(val);
            case METRIC_IDENTIFIER -> "metric identifier " + GoText.quote(val);
            case NUMBER -> "number " + GoText.quoteTruncated(val);
            case DURATION -> "duration " + GoText.quoteTruncated(val);
            case STRING -> "string " + GoText.quoteTruncated(val);
            default -> switch (type.kind) {
                case OPERATOR -> "<op:" + val + ">";
                case AGGREGATOR -> "<aggr:" + val + ">";
                case KEYWORD -> "<" + val + ">";
                default -> GoText.quoteTruncated(val);
            };
        };
    }
}
