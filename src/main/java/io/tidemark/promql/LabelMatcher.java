package io.tidemark.promql;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A label matcher such as {@code job=~"api|web"}.
 *
 * <p>For {@link MatchType#REGEX} and {@link MatchType#NOT_REGEX} the value is a Go (RE2) regular expression;
 * {@link #pattern()} is its Java translation, anchored like Prometheus' {@code ^(?:value)$}, to be used with
 * {@link java.util.regex.Matcher#matches()} (see {@link #matches(String)}). For the other types it is null.
 * Equality ignores the compiled pattern.
 */
public record LabelMatcher(MatchType type, String name, String value, Pattern pattern) {

    /** The label holding the metric name. */
    public static final String METRIC_NAME = "__name__";

    public LabelMatcher {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Creates a matcher, compiling the regex of regex matchers.
     *
     * @throws IllegalArgumentException if the regex is invalid, with Go's message
     *                                  ({@code error parsing regexp: ...})
     */
    public static LabelMatcher of(MatchType type, String name, String value) {
        Pattern p = null;
        if (type == MatchType.REGEX || type == MatchType.NOT_REGEX) {
            try {
                p = GoRegex.compileAnchored(value);
            } catch (GoRegex.SyntaxError e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new LabelMatcher(type, name, value, p);
    }

    public static LabelMatcher equal(String name, String value) {
        return of(MatchType.EQUAL, name, value);
    }

    /** Whether a label value satisfies this matcher (a missing label has the value ""). */
    public boolean matches(String labelValue) {
        return switch (type) {
            case EQUAL -> value.equals(labelValue);
            case NOT_EQUAL -> !value.equals(labelValue);
            case REGEX -> pattern.matcher(labelValue).matches();
            case NOT_REGEX -> !pattern.matcher(labelValue).matches();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && type == m.type && name.equals(m.name) && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    /** The PromQL text of this matcher, e.g. {@code job!~"a|b"}. */
    @Override
    public String toString() {
        return PromQLPrinter.labelName(name) + type.symbol() + GoText.quote(value);
    }
}
