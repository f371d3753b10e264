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
    private SeriesKey[] keys = new SeriesKey[8];
    private long[] seriesIds = new long[8];
    private int[] sourceIndexes = new int[8];
    private int seriesCount;
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
        if (seriesCount == keys.length) {
            keys = Arrays.copyOf(keys, seriesCount * 2);
            seriesIds = Arrays.copyOf(seriesIds, seriesCount * 2);
            sourceIndexes = Arrays.copyOf(sourceIndexes, seriesCount * 2);
        }
        keys[seriesCount] = key;
        seriesIds[seriesCount] = key.id();
        sourceIndexes[seriesCount] = sourceIndex;
        return seriesCount++;
    }

    /**
     * Drops the labels of series already known to be stored: a batch waiting in the write queue then costs
     * about 20 bytes per sample instead of a label set per series.
     */
    void forgetKnownKeys(SeriesRegistry registry) {
        for (int slot = 0; slot < seriesCount; slot++) {
            if (registry.lookup(keys[slot]) == SeriesRegistry.Status.KNOWN) {
                keys[slot] = null;
            }
        }
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
        return seriesCount;
    }

    /** The series' key, or null once {@link #forgetKnownKeys} found it already stored. */
    public SeriesKey series(int slot) {
        return keys[slot];
    }

    public long seriesId(int slot) {
        return seriesIds[slot];
    }

    public int sourceIndex(int slot) {
        return sourceIndexes[slot];
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
