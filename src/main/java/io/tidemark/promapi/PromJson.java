package io.tidemark.promapi;

import java.math.BigDecimal;

/** Numbers as the Prometheus HTTP API writes them: sample values as strings, timestamps as seconds. */
public final class PromJson {

    private PromJson() {
    }

    /** A sample value as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: "NaN", "+Inf", "-Inf", "0.1", "1e+06"-free. */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).toPlainString();
    }

    /** A millisecond timestamp as seconds with up to three decimals, e.g. 1435781451.781 or 1435781451. */
    public static String seconds(long ms) {
        long s = Math.floorDiv(ms, 1000);
        int frac = (int) Math.floorMod(ms, 1000);
        if (frac == 0) {
            return Long.toString(s);
        }
        String digits = String.format("%03d", frac);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        if (s < 0) {
            // Go prints float64(ms)/1000: -0.5 for -500 ms
            return new BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
        }
        return s + "." + digits.substring(0, end);
    }
}
