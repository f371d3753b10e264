package io.tidemark.promql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus durations ({@code model.Duration}): {@code 1y2w3d4h5m6s7ms}, in milliseconds. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile(
            "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");

    private static final long[] UNIT_MILLIS = {
        1000L * 60 * 60 * 24 * 365, 1000L * 60 * 60 * 24 * 7, 1000L * 60 * 60 * 24, 1000L * 60 * 60, 1000L * 60, 1000L, 1L
    };
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};
    /** Go's time.Duration counts nanoseconds in an int64: the largest duration in ms is this. */
    private static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000L;

    private Durations() {
    }

    /**
     * Parses a duration like Prometheus' {@code model.ParseDuration}.
     *
     * @throws IllegalArgumentException with Prometheus' message ("not a valid duration string: ...",
     *                                  "duration out of range", "empty duration string")
     */
    public static long parse(String s) {
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a valid duration string: " + GoText.quote(s));
        }
        long total = 0;
        boolean overflow = false;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            String g = m.group(2 * i + 2);
            if (g == null) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(g);
            } catch (NumberFormatException e) {
                n = Long.MAX_VALUE;
            }
            if (n > MAX_MILLIS / UNIT_MILLIS[i]) {
                overflow = true;
                continue;
            }
            total += n * UNIT_MILLIS[i];
            if (total > MAX_MILLIS) {
                overflow = true;
            }
        }
        if (overflow) {
            throw new IllegalArgumentException("duration out of range");
        }
        return total;
    }

    /** Formats like {@code model.Duration.String()}: {@code 90m} prints as {@code 1h30m}, 0 as {@code 0s}. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long ms = millis;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            long unit = UNIT_MILLIS[i];
            // Years and weeks only when they divide the remainder exactly (90d reads better than 12w6d).
            if (i < 2 && ms % unit != 0) {
                continue;
            }
            long v = ms / unit;
            if (v > 0) {
                b.append(v).append(UNIT_NAMES[i]);
                ms -= v * unit;
            }
        }
        return b.toString();
    }
}
