package io.tidemark.storage;

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
        return new Columns(ids, ts, vs);
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
