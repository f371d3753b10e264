package io.tidemark.promql.eval;

import java.util.Objects;

/**
 * One stored series as the evaluator reads it: its labels ({@code __name__} included) and its raw samples in
 * ascending time order, without duplicates. Staleness markers are kept as stored: a value whose bits equal
 * {@link StaleNaN#BITS}, distinct from an ordinary NaN sample.
 */
public record RawSeries(Labels labels, long[] timestamps, double[] values) {

    public RawSeries {
        Objects.requireNonNull(labels, "labels");
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
    }

    public int size() {
        return timestamps.length;
    }
}
