package io.tidemark.alerting;

/** A request the alerting API refuses: bad input (with the field) or something that does not exist. */
public class AlertingRequestException extends RuntimeException {

    public enum Kind {
        INVALID, NOT_FOUND
    }

    private final Kind kind;
    private final String field;

    public AlertingRequestException(Kind kind, String field, String reason) {
        super(field + ": " + reason);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public static AlertingRequestException invalid(String field, String reason) {
        return new AlertingRequestException(Kind.INVALID, field, reason);
    }

    public static AlertingRequestException notFound(String field, String reason) {
        return new AlertingRequestException(Kind.NOT_FOUND, field, reason);
    }
}
