package io.tidemark.promql.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The φ-quantile of values ({@code quantile}, {@code quantile_over_time}) and of classic histogram buckets. */
final class Quantiles {

    /** Ascending, NaN first (Prometheus' vectorByValueHeap order). */
    static final Comparator<Double> NAN_FIRST = (a, b) -> {
        boolean an = Double.isNaN(a);
        boolean bn = Double.isNaN(b);
        if (an || bn) {
            return an == bn ? 0 : an ? -1 : 1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    };

    private Quantiles() {
    }

    static double quantile(double q, List<Double> values) {
        if (values.isEmpty() || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(NAN_FIRST);
        double n = sorted.size();
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return sorted.get((int) lower) * (1 - weight) + sorted.get((int) upper) * weight;
    }

    static double quantile(double q, double[] vs, int from, int to) {
        List<Double> values = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            values.add(vs[i]);
        }
        return quantile(q, values);
    }

    /** Buckets of one classic histogram: upper bounds and cumulative counts, in input order. */
    static double bucketQuantile(double q, double[] upperBounds, double[] counts, int n) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(upperBounds[a], upperBounds[b]) == 0 ? 0
                : upperBounds[a] < upperBounds[b] ? -1 : upperBounds[a] > upperBounds[b] ? 1 : 0);
        double[] ub = new double[n];
        double[] cnt = new double[n];
        for (int i = 0; i < n; i++) {
            ub[i] = upperBounds[order[i]];
            cnt[i] = counts[order[i]];
        }
        if (!(ub[n - 1] == Double.POSITIVE_INFINITY)) {
            return Double.NaN;
        }
        // Coalesce buckets with the same upper bound.
        int m = 0;
        for (int i = 1; i < n; i++) {
            if (ub[i] == ub[m]) {
                cnt[m] += cnt[i];
            } else {
                m++;
                ub[m] = ub[i];
                cnt[m] = cnt[i];
            }
        }
        n = m + 1;
        // Make the counts monotonic.
        double max = cnt[0];
        for (int i = 1; i < n; i++) {
            if (cnt[i] > max) {
                max = cnt[i];
            } else if (cnt[i] < max) {
                cnt[i] = max;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double observations = cnt[n - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        // The first bucket (among all but the last) whose count reaches the rank.
        int b = 0;
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cnt[mid] >= rank) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        b = lo;
        if (b == n - 1) {
            return ub[n - 2];
        }
        if (b == 0 && ub[0] <= 0) {
            return ub[0];
        }
        double bucketStart = 0;
        double bucketEnd = ub[b];
        double count = cnt[b];
        if (b > 0) {
            bucketStart = ub[b - 1];
            count -= cnt[b - 1];
            rank -= cnt[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }
}

