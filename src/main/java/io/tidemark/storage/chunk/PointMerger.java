package io.tidemark.storage.chunk;

import java.util.Arrays;

/**
 * Gathers one series' points from chunks and head rows, in any order, and hands them out sorted by time with
 * duplicates removed (a timestamp stored twice keeps the first value stored: chunks before head rows, as
 * {@code INSERT ... ON CONFLICT DO NOTHING} does for head rows).
 */
public final class PointMerger {

    private long[] timestamps = new long[256];
    private double[] values = new double[256];
    private int size;
    private final ChunkReader reader = new ChunkReader();

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public double value(int i) {
        return values[i];
    }

    public long[] timestamps() {
        return timestamps;
    }

    public double[] values() {
        return values;
    }

    /** Adds the chunk's points within [fromMs, toMs). */
    public void addChunk(byte[] chunk, long fromMs, long toMs) {
        reader.reset(chunk);
        while (reader.next()) {
            long ts = reader.timestamp();
            if (ts >= fromMs && ts < toMs) {
                add(ts, reader.value());
            }
        }
    }

    public void add(long ts, double value) {
        if (size == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        timestamps[size] = ts;
        values[size] = value;
        size++;
    }

    /** Drops staleness markers (they end a series for PromQL; they are not values to aggregate). */
    public void dropStaleMarkers() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!io.tidemark.storage.StaleMarker.is(values[i])) {
                timestamps[n] = timestamps[i];
                values[n] = values[i];
                n++;
            }
        }
        size = n;
    }

    /** Sorts by time (stable: of equal timestamps the first added stays) and drops the later duplicates. */
    public void sortAndDedupe() {
        boolean sorted = true;
        for (int i = 1; i < size && sorted; i++) {
            sorted = timestamps[i - 1] < timestamps[i];
        }
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(timestamps[a], timestamps[b])); // stable for objects
        long[] ts = new long[Math.max(256, size)];
        double[] vs = new double[ts.length];
        int n = 0;
        for (int i = 0; i < size; i++) {
            int k = order[i];
            if (n > 0 && ts[n - 1] == timestamps[k]) {
                continue;
            }
            ts[n] = timestamps[k];
            vs[n] = values[k];
            n++;
        }
        timestamps = ts;
        values = vs;
        size = n;
    }
}
