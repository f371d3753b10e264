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
     * Rows sorted by the primary key (series_id, ts): PostgreSQL then walks the index leaves in order instead
     * of jumping between random ones for every row (series ids are hashes, so arrival order is random).
     */
    private static Columns inKeyOrder(Long[] ids, Long[] ts, Double[] vs) {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int bySeries = Long.compare(ids[a], ids[b]);
            return bySeries != 0 ? bySeries : Long.compare(ts[a], ts[b]);
        });
        Long[] sortedIds = new Long[ids.length];
        Long[] sortedTs = new Long[ids.length];
        Double[] sortedVs = new Double[ids.length];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            sortedTs[i] = ts[order[i]];
            sortedVs[i] = vs[order[i]];
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
