package io.tidemark.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many series a tenant stores and where they come from: top metric names by series, label names by the series
 * carrying them and by their distinct values, and label pairs by series. Labels exclude the metric name.
 */
public record CardinalityReport(long totalSeries, long totalLabelPairs, List<Entry> seriesByMetric,
        List<Entry> seriesByLabelName, List<Entry> valuesByLabelName, List<Entry> seriesByLabelPair) {

    /** A metric name, label name or {@code label=value} pair, and its count. */
    public record Entry(String name, long count) {
    }

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;

    /** Largest count first, ties by name, at most {@code limit} entries. */
    static List<Entry> top(List<Entry> entries, int limit) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::count).reversed().thenComparing(Entry::name));
        return List.copyOf(sorted.subList(0, Math.min(limit, sorted.size())));
    }

    /** 0 means the default; more than {@link #MAX_LIMIT} (or a negative value from a large uint32) is refused. */
    static int limitFor(long requested) {
        if (requested == 0) {
            return DEFAULT_LIMIT;
        }
        if (requested < 0 || requested > MAX_LIMIT) {
            throw QueryException.invalid("limit", "at most " + MAX_LIMIT + " entries per list, got " + requested);
        }
        return (int) requested;
    }
}
