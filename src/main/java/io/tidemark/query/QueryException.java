package io.tidemark.query;

/** A query refused before or while running; {@link Kind} maps to the gRPC status, the message names the field or limit. */
public class QueryException extends RuntimeException {

    public enum Kind {
        INVALID, TOO_LARGE, UNSUPPORTED, TIMEOUT
    }

    private final Kind kind;

    public QueryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static QueryException invalid(String field, String reason) {
        return new QueryException(Kind.INVALID, field + ": " + reason);
    }
}
