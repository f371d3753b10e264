package io.tidemark.promql.eval;

import java.util.Arrays;

/** One series of an intermediate result: its labels and the points it has, in ascending time order. */
final class StepSeries {

    final Labels labels;
    long[] ts;
    double[] vs;
    int size;

    StepSeries(Labels labels, int capacity) {
        this.labels = labels;
        this.ts = new long[Math.max(1, capacity)];
        this.vs = new double[Math.max(1, capacity)];
    }

    StepSeries(Labels labels, long[] ts, double[] vs, int size) {
        this.labels = labels;
        this.ts = ts;
        this.vs = vs;
        this.size = size;
    }

    void add(long t, double v) {
        if (size == ts.length) {
            int n = ts.length * 2;
            ts = Arrays.copyOf(ts, n);
            vs = Arrays.copyOf(vs, n);
        }
        ts[size] = t;
        vs[size] = v;
        size++;
    }

    QueryResult.Series toSeries() {
        return new QueryResult.Series(labels, Arrays.copyOf(ts, size), Arrays.copyOf(vs, size));
    }
}
