package io.tidemark.storage;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The rows of one flush, column-wise: series not yet known to be stored (sorted by id, so concurrent
 * flushes take row locks in the same order), metadata to upsert, and the samples.
 */
record FlushPlan(List<SeriesKey> newSeries, List<MetricMetadata> metadata, long[] seriesIds, int[] metricGroups,
        long[] timestamps, double[] values, int size) {

    /** The array parameters of the samples INSERT, leaving out series refused as collisions. */
    record Columns(Long[] seriesIds, Long[] timestamps, Double[] values) {
        int size() {
            return seriesIds.length;
        }
    }

    private static final int GROUP_BITS = 16;

    /**
     * A metric name's group: its hash, mixed so that the top bits differ too (names such as node_metric_001 and
     * node_metric_002 have String hashes that differ only in their low bits).
     */
    static int metricGroup(String metricName) {
        int h = metricName.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
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
        int[] groups = new int[kept];
        Long[] ts = new Long[kept];
        Double[] vs = new Double[kept];
        int j = 0;
        for (int i = 0; i < size; i++) {
            if (excludedSeries.isEmpty() || !excludedSeries.contains(seriesIds[i])) {
                ids[j] = seriesIds[i];
                groups[j] = metricGroups[i];
                ts[j] = timestamps[i];
                vs[j] = values[i];
                j++;
            }
        }
        return inMetricOrder(ids, groups, ts, vs);
    }

    /**
     * Rows grouped by metric name (a hash of it), so that the rows of one metric land together in the heap pages this
     * flush fills: a query selects by metric, and reads a few pages per flush instead of one page per series (ids are
     * hashes, so any other order spreads a metric's rows over every page of the flush). Within a metric, rows are in
     * series-id order, so PostgreSQL walks the primary-key index leaves in order. One primitive sort: 16 bits of the
     * metric's hash, then the id's high bits, then the row index in the low bits (rows that tie on the first two
     * interleave, which costs nothing); rows of one series keep their arrival order.
     */
    private static Columns inMetricOrder(Long[] ids, int[] groups, Long[] ts, Double[] vs) {
        int n = ids.length;
        int indexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
        int idBits = 64 - GROUP_BITS - indexBits;
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            long group = (groups[i] >>> (32 - GROUP_BITS)) & ((1L << GROUP_BITS) - 1);
            order[i] = (group << (64 - GROUP_BITS)) | ((ids[i] >>> (64 - idBits)) << indexBits) | i;
        }
        Arrays.sort(order);
        Long[] sortedIds = new Long[n];
        Long[] sortedTs = new Long[n];
        Double[] sortedVs = new Double[n];
        for (int i = 0; i < n; i++) {
            int row = (int) (order[i] & ((1L << indexBits) - 1));
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
