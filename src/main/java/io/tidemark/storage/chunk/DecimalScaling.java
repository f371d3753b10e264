package io.tidemark.storage.chunk;

/**
 * Writes doubles as {@code mantissa × 10^exponent} with one exponent for a whole chunk. A value qualifies only if
 * {@link #toDouble} gives back its identical bit pattern, so the decimal encoding is lossless by construction.
 */
final class DecimalScaling {
    /** Exponents are limited to ±22: every power of ten up to 10^22 is an exact double. */
    static final int MAX_EXPONENT = 22;
    /** Returned by {@link #commonExponent} when the values cannot be scaled. */
    static final int NOT_DECIMAL = Integer.MIN_VALUE;

    private static final double[] POW10 = new double[MAX_EXPONENT + 1];
    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);
    /** Scaled values must stay below 2^63 to fit a long. */
    private static final double LONG_LIMIT = 0x1p63;

    static {
        double p = 1;
        for (int i = 0; i <= MAX_EXPONENT; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private DecimalScaling() {
    }

    /** The value of {@code mantissa × 10^exponent}, rounded once (exactly as the encoder verified it). */
    static double toDouble(long mantissa, int exponent) {
        if (exponent < 0) {
            return (double) mantissa / POW10[-exponent];
        }
        return exponent == 0 ? (double) mantissa : (double) mantissa * POW10[exponent];
    }

    /**
     * Finds the largest exponent (fewest digits) that writes every value exactly and fills {@code mantissas}; returns
     * {@link #NOT_DECIMAL} if a value is NaN, infinite, -0.0 or has no exact mantissa within the exponent range.
     */
    static int commonExponent(double[] values, int count, long[] mantissas) {
        int exponent = NOT_DECIMAL;
        for (int i = 0; i < count; i++) {
            double v = values[i];
            if (!Double.isFinite(v) || Double.doubleToRawLongBits(v) == NEGATIVE_ZERO) {
                return NOT_DECIMAL;
            }
            if (exponent == NOT_DECIMAL) {
                exponent = MAX_EXPONENT;
            }
            // more digits (a smaller exponent) until this value is exact; the exponent only ever decreases
            while (!exact(v, exponent)) {
                if (--exponent < -MAX_EXPONENT) {
                    return NOT_DECIMAL;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            double v = values[i];
            double scaled = scale(v, exponent);
            if (!(Math.abs(scaled) < LONG_LIMIT)) {
                return NOT_DECIMAL;
            }
            long m = (long) Math.rint(scaled);
            if (Double.doubleToRawLongBits(toDouble(m, exponent)) != Double.doubleToRawLongBits(v)) {
                return NOT_DECIMAL;
            }
            mantissas[i] = m;
        }
        return exponent;
    }

    private static boolean exact(double v, int exponent) {
        double scaled = scale(v, exponent);
        if (!(Math.abs(scaled) < LONG_LIMIT)) {
            return false;
        }
        long m = (long) Math.rint(scaled);
        return Double.doubleToRawLongBits(toDouble(m, exponent)) == Double.doubleToRawLongBits(v);
    }

    private static double scale(double v, int exponent) {
        if (exponent < 0) {
            return v * POW10[-exponent];
        }
        return exponent == 0 ? v : v / POW10[exponent];
    }
}
