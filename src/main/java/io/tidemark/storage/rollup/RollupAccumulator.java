package io.tidemark.storage.rollup;

import io.tidemark.sketch.DDSketch;
import io.tidemark.storage.SqlFloats;

/**
 * One series' rollup of one bucket, built from raw samples in time order or from the finer tier's rows in bucket
 * order. The aggregates follow what SQL gives on the raw samples, so rollup and raw answers agree: NaN propagates
 * through sum and max (PostgreSQL orders NaN above every number) and is ignored by min unless every value is NaN.
 */
final class RollupAccumulator {

    long count;
    double sum;
    double min = Double.NaN;
    double max = Double.NEGATIVE_INFINITY;
    double last;
    /** The counter increase; null (NaN here, stored as NULL) when no step lies in the bucket. */
    double increase;
    boolean hasIncrease;
    final DDSketch sketch = new DDSketch();

    void clear() {
        count = 0;
        sum = 0;
        min = Double.NaN;
        max = Double.NEGATIVE_INFINITY;
        last = 0;
        increase = 0;
        hasIncrease = false;
        sketch.clear();
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** A raw sample; {@code step} is its counter increase over the previous sample, or NaN when it has none. */
    void addSample(double value, double step) {
        count++;
        sum += value;
        min = SqlFloats.min(min, value);
        max = SqlFloats.max(max, value);
        last = value;
        sketch.add(value);
        if (!Double.isNaN(step)) {
            increase += step;
            hasIncrease = true;
        }
    }

    /** A finer bucket's rollup, merged in bucket order. */
    void addRollup(long count, double sum, double min, double max, double last, Double increase, DDSketch sketch) {
        this.count += count;
        this.sum += sum;
        this.min = SqlFloats.min(this.min, min);
        this.max = SqlFloats.max(this.max, max);
        this.last = last;
        if (increase != null) {
            this.increase += increase;
            hasIncrease = true;
        }
        this.sketch.merge(sketch);
    }

    /** The counter step from {@code previous} to {@code value}: a drop is a reset, the new value counts whole. */
    static double counterStep(double previous, double value) {
        return value >= previous ? value - previous : value;
    }
}
