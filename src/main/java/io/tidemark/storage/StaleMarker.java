package io.tidemark.storage;

/**
 * Prometheus' staleness marker, stored as sent: a NaN with the payload {@code 0x7ff0000000000002}. It says "this
 * series ended here" and is not a value, so aggregations and rollups skip it; an ordinary NaN is a value.
 */
public final class StaleMarker {

    public static final long BITS = 0x7ff0000000000002L;

    /** A SQL condition true for rows of {@code samples} that are not staleness markers (float8send only runs on NaNs). */
    public static final String NOT_STALE_SQL = "NOT (value = 'NaN'::float8 AND float8send(value) = '\\x7ff0000000000002'::bytea)";

    private StaleMarker() {
    }

    public static boolean is(double value) {
        return Double.doubleToRawLongBits(value) == BITS;
    }
}
