package io.tidemark.storage.rollup;

import io.tidemark.sketch.DDSketch;
import io.tidemark.storage.chunk.PointMerger;

/**
 * Folds a source stream, ordered by series then time, into one tier's rows. Raw samples before {@code fromMs} only
 * serve as the predecessor of the first counter step.
 */
public final class RollupFolder {

    /** A counter step is counted only when the previous sample is at most this much older (as in the query path). */
    public static final long COUNTER_LOOKBACK_MS = 300_000;

    private final RollupTier tier;
    private final long fromMs;
    private final long toMs;
    private final RollupRows rows = new RollupRows();
    private final RollupAccumulator acc = new RollupAccumulator();
    private final PointMerger points = new PointMerger();
    private long series;
    private boolean hasSeries;
    private long bucket;
    private boolean hasPrevious;
    private long previousTs;
    private double previousValue;

    RollupFolder(RollupTier tier, long fromMs, long toMs) {
        this.tier = tier;
        this.fromMs = fromMs;
        this.toMs = toMs;
    }

    RollupRows rows() {
        return rows;
    }

    /** A raw sample; a series' samples may come in any order and from chunks too: they are merged per series. */
    void addSample(long seriesId, long ts, double value) {
        startSeriesIfNew(seriesId);
        points.add(ts, value);
    }

    /** A chunk of the series (its points before the lookback are ignored). */
    void addChunk(long seriesId, byte[] chunk) {
        startSeriesIfNew(seriesId);
        points.addChunk(chunk, fromMs - COUNTER_LOOKBACK_MS, toMs);
    }

    private void foldPoints() {
        points.sortAndDedupe();
        points.dropStaleMarkers();
        for (int i = 0; i < points.size(); i++) {
            foldSample(points.timestamp(i), points.value(i));
        }
        points.clear();
    }

    private void foldSample(long ts, double value) {
        if (ts >= fromMs) {
            double step = hasPrevious && ts - previousTs <= COUNTER_LOOKBACK_MS
                    ? RollupAccumulator.counterStep(previousValue, value) : Double.NaN;
            moveTo(tier.bucketOf(ts));
            acc.addSample(value, step);
        }
        hasPrevious = true;
        previousTs = ts;
        previousValue = value;
    }

    void addRollup(long seriesId, long fineBucket, long count, double sum, double min, double max, double last,
            Double increase, DDSketch sketch) {
        startSeriesIfNew(seriesId);
        moveTo(tier.bucketOf(fineBucket));
        acc.addRollup(count, sum, min, max, last, increase, sketch);
    }

    void finish() {
        foldPoints();
        emit();
        hasSeries = false;
    }

    private void startSeriesIfNew(long seriesId) {
        if (!hasSeries || seriesId != series) {
            foldPoints();
            emit();
            series = seriesId;
            hasSeries = true;
            hasPrevious = false;
            bucket = Long.MIN_VALUE;
        }
    }

    private void moveTo(long b) {
        if (b != bucket) {
            emit();
            bucket = b;
        }
    }

    private void emit() {
        if (!acc.isEmpty()) {
            rows.add(series, bucket, acc);
        }
        acc.clear();
    }
}
