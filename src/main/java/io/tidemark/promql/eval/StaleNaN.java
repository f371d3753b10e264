package io.tidemark.promql.eval;

/**
 * Prometheus' staleness marker: a NaN with a specific payload ({@code 0x7ff0000000000002}) that ends a series for
 * lookback. An ordinary NaN sample is a value; this one is not.
 */
public final class StaleNaN {

    public static final long BITS = 0x7ff0000000000002L;
    public static final double VALUE = Double.longBitsToDouble(BITS);

    private StaleNaN() {
    }

    public static boolean is(double v) {
        return Double.doubleToRawLongBits(v) == BITS;
    }
}
