package io.tidemark.hosts;

/** A heartbeat or a listing filter that cannot be accepted: {@link #field()} names what is wrong. */
public final class InvalidHostInputException extends IllegalArgumentException {

    private final String field;

    public InvalidHostInputException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
