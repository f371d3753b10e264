package io.tidemark.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validated samples ready to be stored, held column-wise (no object per sample).
 * Each series remembers the index it had in the client's request, so storage-side
 * rejections (id collisions) can be reported against what the client sent.
 */
public final class SampleBatch {
    private SeriesKey[] keys = new SeriesKey[8];
    private long[] seriesIds = new long[8];
    private String[] metricNames = new String[8];
    private int[] sourceIndexes = new int[8];
    private int seriesCount;
    private final List<MetricMetadata> metadata = new ArrayList<>();
    private int[] sampleSeries;
    private long[] timestamps;
    private double[] values;
    private int size;
    private long oldestTimestamp = Long.MAX_VALUE;

    public SampleBatch(int expectedSamples) {
        int capacity = Math.max(expectedSamples, 8);
        sampleSeries = new int[capacity];
        timestamps = new long[capacity];
        values = new double[capacity];
    }

    /** Adds a series; returns the slot to pass to {@link #addSample}. */
    public int addSeries(SeriesKey key, int sourceIndex) {
        return addSlot(key, key.id(), key.name(), sourceIndex);
    }

    private int addSlot(SeriesKey key, long id, String metricName, int sourceIndex) {
        if (seriesCount == keys.length) {
            keys = Arrays.copyOf(keys, seriesCount * 2);
            seriesIds = Arrays.copyOf(seriesIds, seriesCount * 2);
            metricNames = Arrays.copyOf(metricNames, seriesCount * 2);
            sourceIndexes = Arrays.copyOf(sourceIndexes, seriesCount * 2);
        }
        keys[seriesCount] = key;
        seriesIds[seriesCount] = id;
        metricNames[seriesCount] = metricName;
        sourceIndexes[seriesCount] = sourceIndex;
        return seriesCount++;
    }

    /**
     * A copy without the given series (refused after validation) and their samples; metadata is kept for the
     * metric names that still have a series in the copy.
     */
    public SampleBatch withoutSeries(Set<Integer> refusedSlots) {
        SampleBatch kept = new SampleBatch(size);
        int[] newSlot = new int[seriesCount];
        Set<String> keptMetrics = new HashSet<>();
        for (int slot = 0; slot < seriesCount; slot++) {
            if (refusedSlots.contains(slot)) {
                newSlot[slot] = -1;
            } else {
                newSlot[slot] = kept.addSlot(keys[slot], seriesIds[slot], metricNames[slot], sourceIndexes[slot]);
                keptMetrics.add(metricNames[slot]);
            }
        }
        for (int i = 0; i < size; i++) {
            int slot = newSlot[sampleSeries[i]];
            if (slot >= 0) {
                kept.addSample(slot, timestamps[i], values[i]);
            }
        }
        for (MetricMetadata m : metadata) {
            if (keptMetrics.contains(m.name())) {
                kept.addMetadata(m);
            }
        }
        return kept;
    }

    /**
     * Drops the labels of series already known to be stored: a batch waiting in the write queue then costs
     * about 20 bytes per sample instead of a label set per series. Calling it again only looks up the rest.
     */
    public void forgetKnownKeys(SeriesRegistry registry) {
        for (int slot = 0; slot < seriesCount; slot++) {
            if (keys[slot] != null && registry.lookup(keys[slot]) == SeriesRegistry.Status.KNOWN) {
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
        if (timestampMs < oldestTimestamp) {
            oldestTimestamp = timestampMs;
        }
    }

    /** Starts of the {@code resolutionMs} buckets holding samples older than {@code cutoffMs}, ascending. */
    public long[] bucketsWithSamplesBefore(long cutoffMs, long resolutionMs) {
        if (oldestTimestamp >= cutoffMs) {
            return new long[0];
        }
        return java.util.stream.IntStream.range(0, size).mapToLong(i -> timestamps[i]).filter(ts -> ts < cutoffMs)
                .map(ts -> ts - Math.floorMod(ts, resolutionMs)).distinct().sorted().toArray();
    }

    /** Metric names with at least one sample older than {@code cutoffMs} (kept after {@link #forgetKnownKeys}). */
    public Set<String> metricsWithSamplesBefore(long cutoffMs) {
        if (oldestTimestamp >= cutoffMs) {
            return Set.of(); // the usual case: one comparison per batch
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < size; i++) {
            if (timestamps[i] < cutoffMs) {
                names.add(metricNames[sampleSeries[i]]);
            }
        }
        return names;
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

    public String metricName(int slot) {
        return metricNames[slot];
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
