package io.tidemark.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Validated samples ready to be stored, held column-wise (no object per sample).
 * Each series remembers the index it had in the client's request, so storage-side
 * rejections (id collisions) can be reported against what the client sent.
 */
public final class SampleBatch {
    private final List<SeriesKey> series = new ArrayList<>();
    private final List<Integer> sourceIndexes = new ArrayList<>();
    private final List<MetricMetadata> metadata = new ArrayList<>();
    private int[] sampleSeries;
    private long[] timestamps;
    private double[] values;
    private int size;

    public SampleBatch(int expectedSamples) {
        int capacity = Math.max(expectedSamples, 8);
        sampleSeries = new int[capacity];
        timestamps = new long[capacity];
        values = new double[capacity];
    }

    /** Adds a series; returns the slot to pass to {@link #addSample}. */
    public int addSeries(SeriesKey key, int sourceIndex) {
        series.add(key);
        sourceIndexes.add(sourceIndex);
        return series.size() - 1;
    }

    public void addSample(int seriesSlot, long timestampMs, double value) {
        if (size == timestamps.length) {
            int capacity = size * 2;
            sampleSeries = Arrays.copyOf(sampleSeries, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        sampleSeries[size] = seriesSlot;
        timestamps[size] = timestampMs;
        values[size] = value;
        size++;
    }

    public void addMetadata(MetricMetadata m) {
        metadata.add(m);
    }

    public int size() {
        return size;
    }

    public int seriesCount() {
        return series.size();
    }

    public SeriesKey series(int slot) {
        return series.get(slot);
    }

    public int sourceIndex(int slot) {
        return sourceIndexes.get(slot);
    }

    public int seriesOf(int sample) {
        return sampleSeries[sample];
    }

    public long timestamp(int sample) {
        return timestamps[sample];
    }

    public double value(int sample) {
        return values[sample];
    }

    public List<MetricMetadata> metadata() {
        return metadata;
    }
}
