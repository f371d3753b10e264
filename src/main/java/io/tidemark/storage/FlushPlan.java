package io.tidemark.storage;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The rows of one flush, column-wise: series not yet known to be stored (sorted by id, so concurrent
 * flushes take row locks in the same order), metadata to upsert, and the samples.
 */
record FlushPlan(List<SeriesKey> newSeries, List<MetricMetadata> metadata, long[] seriesIds, long[] timestamps,
        double[] values, int size) {

    /** The array parameters of the samples INSERT, leaving out series refused as collisions. */
    record Columns(Long[] seriesIds, Long[] timestamps, Double[] values) {
        int size() {
            return seriesIds.length;
        }
    }

    Columns columnsWithout(Set<Long> excludedSeries) {
        int kept = size;
        if (!excludedSeries.isEmpty()) {
            kept = 0;
            for (int i = 0; i < size; i++) {
                if (!excludedSeries.contains(seriesIds[i])) {
                    kept++;
                }
            }
        }
        Long[] ids = new Long[kept];
        Long[] ts = new Long[kept];
        Double[] vs = new Double[kept];
        int j = 0;
        for (int i = 0; i < size; i++) {
            if (excludedSeries.isEmpty() || !excludedSeries.contains(seriesIds[i])) {
                ids[j] = seriesIds[i];
                ts[j] = timestamps[i];
                vs[j] = values[i];
                j++;
            }
        }
        return inKeyOrder(ids, ts, vs);
    }

    /**
     * Rows in series-id order, so PostgreSQL walks the primary-key index leaves in order instead of jumping
     * between random ones for every row (series ids are hashes, so arrival order is random). One primitive sort:
     * the id's high bits with the row index in the low bits (ids differing only in those bits may interleave,
     * which costs nothing); rows of one series keep their arrival order.
     */
    private static Columns inKeyOrder(Long[] ids, Long[] ts, Double[] vs) {
        int n = ids.length;
        int indexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
        long indexMask = (1L << indexBits) - 1;
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = (ids[i] & ~indexMask) | i;
        }
        Arrays.sort(order);
        Long[] sortedIds = new Long[n];
        Long[] sortedTs = new Long[n];
        Double[] sortedVs = new Double[n];
        for (int i = 0; i < n; i++) {
            int row = (int) (order[i] & indexMask);
            sortedIds[i] = ids[row];
            sortedTs[i] = ts[row];
            sortedVs[i] = vs[row];
        }
        return new Columns(sortedIds, sortedTs, sortedVs);
    }

    long minTimestamp() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            min = Math.min(min, timestamps[i]);
        }
        return min;
    }

    long maxTimestamp() {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, timestamps[i]);
        }
        return max;
    }
}
