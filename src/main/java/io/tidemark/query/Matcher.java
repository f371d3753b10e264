package io.tidemark.query;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** One label condition. A missing label reads as the empty string, as in Prometheus. */
public record Matcher(String name, Type type, String value) {

    public enum Type {
        EQUAL, NOT_EQUAL, REGEX, NOT_REGEX
    }

    /** Checks the regular expression now, so a bad one is refused with its field before any SQL runs. */
    public static Matcher of(String field, String name, Type type, String value) {
        if (name == null || name.isEmpty()) {
            throw QueryException.invalid(field + ".name", "a matcher needs a label name");
        }
        if (type == Type.REGEX || type == Type.NOT_REGEX) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw QueryException.invalid(field + ".value", "invalid regular expression \"" + value + "\": "
                        + e.getDescription());
            }
        }
        return new Matcher(name, type, value);
    }
}
