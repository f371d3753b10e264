package io.tidemark.promapi;

import io.tidemark.promql.Durations;
import io.tidemark.promql.Expr;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.PromQLParseException;
import io.tidemark.promql.PromQLParser;
import io.tidemark.promql.VectorSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Request parameters read like Prometheus' HTTP API reads them, with its error messages. */
public final class PromParams {

    private PromParams() {
    }

    /** A parameter Prometheus would refuse with {@code bad_data}: the message is Prometheus'. */
    public static final class BadParameter extends RuntimeException {
        public BadParameter(String message) {
            super(message);
        }

        static BadParameter of(String name, String reason) {
            return new BadParameter("invalid parameter " + quoted(name) + ": " + reason);
        }
    }

    /** A time: Unix seconds with up to millisecond precision (rounded like Prometheus) or RFC 3339. */
    public static long time(String name, String value, long defaultMs) {
        if (value == null || value.isEmpty()) {
            return defaultMs;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            // not a number: RFC 3339 below
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(value);
            return t.toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw BadParameter.of(name, "cannot parse " + quoted(value) + " to a valid timestamp");
        }
    }

    /** A duration: float seconds or a Prometheus duration such as {@code 5m}, in milliseconds. */
    public static long duration(String name, String value) {
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            BigDecimal ms = seconds.movePointRight(3);
            if (ms.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000)) > 0) {
                throw BadParameter.of(name, "cannot parse " + quoted(value) + " to a valid duration. It overflows int64");
            }
            return ms.setScale(0, RoundingMode.DOWN).longValue();
        } catch (NumberFormatException e) {
            // not a number: a Prometheus duration below
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw BadParameter.of(name, "cannot parse " + quoted(value) + " to a valid duration");
        }
    }

    /** The query of an instant query: a syntax error reads {@code invalid parameter "query": 1:5: parse error: …}. */
    public static Expr query(String value) {
        try {
            return parse(value);
        } catch (PromQLParseException e) {
            throw BadParameter.of("query", e.getMessage());
        }
    }

    /** The query of a range query: Prometheus 2.42 reports its syntax errors without the parameter's name. */
    public static Expr rangeQuery(String value) {
        try {
            return parse(value);
        } catch (PromQLParseException e) {
            throw new BadParameter(e.getMessage());
        }
    }

    private static Expr parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new PromQLParseException("", 0, "no expression found in input");
        }
        return PromQLParser.parse(value);
    }

    /** Each {@code match[]} selector's matchers. */
    public static List<List<LabelMatcher>> selectors(List<String> values) {
        List<List<LabelMatcher>> out = new ArrayList<>();
        for (String v : values) {
            Expr e;
            try {
                e = PromQLParser.parse(v);
            } catch (PromQLParseException ex) {
                throw BadParameter.of("match[]", ex.getMessage());
            }
            if (!(e instanceof VectorSelector selector)) {
                throw BadParameter.of("match[]", "1:1: parse error: expected type instant vector in vector selector, got "
                        + e.type().documentedName());
            }
            out.add(selector.matchers());
        }
        return out;
    }

    private static String quoted(String s) {
        return io.tidemark.promql.GoText.quote(s);
    }
}
