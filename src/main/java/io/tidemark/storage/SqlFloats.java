package io.tidemark.storage;

/**
 * min and max of float8 as PostgreSQL computes them, so Java-side aggregation (rollups, chunks) answers exactly as
 * SQL does on raw rows: NaN sorts above every number, so it wins max and loses min unless nothing else is there.
 */
public final class SqlFloats {

    private SqlFloats() {
    }

    /** The running minimum; start from NaN ("nothing yet"). */
    public static double min(double current, double value) {
        if (Double.isNaN(current)) {
            return value;
        }
        return Double.isNaN(value) ? current : Math.min(current, value);
    }

    /** The running maximum; start from -Infinity. */
    public static double max(double current, double value) {
        if (Double.isNaN(current) || Double.isNaN(value)) {
            return Double.NaN;
        }
        return Math.max(current, value);
    }
}
