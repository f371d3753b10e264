package io.tidemark.load;

import java.util.Arrays;
import java.util.List;

/** Per-batch ack latencies in nanoseconds; sorted once at the end, no histogram needed at this scale. */
final class LatencyRecorder {

    private long[] nanos = new long[256];
    private int size;

    void record(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    long[] values() {
        return Arrays.copyOf(nanos, size);
    }

    /** Nearest-rank percentiles over all recorders, in milliseconds. */
    static Percentiles summarize(List<LatencyRecorder> recorders) {
        long[] all = recorders.stream().map(LatencyRecorder::values).flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        return new Percentiles(all.length, rank(all, 50), rank(all, 95), rank(all, 99), millis(all[all.length - 1]));
    }

    private static double rank(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return millis(sorted[Math.max(0, index)]);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    record Percentiles(int count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }
}
