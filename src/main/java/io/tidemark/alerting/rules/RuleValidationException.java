package io.tidemark.alerting.rules;

/**
 * A rule that cannot be stored: names the YAML line (0 when not from YAML), the field path
 * ({@code groups[0].rules[2].expr}) and the reason.
 */
public class RuleValidationException extends RuntimeException {

    private final int line;
    private final String field;
    private final String reason;

    public RuleValidationException(int line, String field, String reason) {
        super((line > 0 ? "line " + line + ": " : "") + field + ": " + reason);
        this.line = line;
        this.field = field;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
