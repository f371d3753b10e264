package io.tidemark.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Aggregation across series: per group (equal {@code group_by} labels, or equal labels except {@code without}
 * and the metric name), the per-series values of each bucket are combined. Plain Java, run on a worker thread.
 */
final class CrossSeriesMerge {

    private CrossSeriesMerge() {
    }

    static boolean supports(AggregationFunction f) {
        return switch (f) {
            case AVG, SUM, MIN, MAX, COUNT -> true;
            default -> false;
        };
    }

    static List<ResultSeries> merge(List<ResultSeries> series, RangeQuery.CrossSeries across) {
        Map<Map<String, String>, TreeMap<Long, double[]>> groups = new LinkedHashMap<>();
        for (ResultSeries s : series) {
            TreeMap<Long, double[]> buckets = groups.computeIfAbsent(groupLabels(s.labels(), across), k -> new TreeMap<>());
            for (int i = 0; i < s.timestamps().length; i++) {
                // per bucket: sum, count, min, max
                double v = s.values()[i];
                double[] acc = buckets.computeIfAbsent(s.timestamps()[i],
                        t -> new double[] { 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY });
                acc[0] += v;
                acc[1] += 1;
                acc[2] = Math.min(acc[2], v);
                acc[3] = Math.max(acc[3], v);
            }
        }
        List<ResultSeries> result = new ArrayList<>(groups.size());
        groups.forEach((labels, buckets) -> {
            PointsBuilder points = new PointsBuilder();
            buckets.forEach((ts, acc) -> points.add(ts, switch (across.function()) {
                case SUM -> acc[0];
                case AVG -> acc[0] / acc[1];
                case COUNT -> acc[1];
                case MIN -> acc[2];
                case MAX -> acc[3];
                default -> throw new IllegalStateException("refused by QueryEngine.validate");
            }));
            result.add(points.build(labels));
        });
        return result;
    }

    /** Which group each series falls in (by position), and each group's labels. */
    record Grouping(Integer[] groupOf, List<Map<String, String>> groupLabels) {
    }

    static Grouping group(List<Map<String, String>> seriesLabels, RangeQuery.CrossSeries across) {
        Map<Map<String, String>, Integer> index = new LinkedHashMap<>();
        Integer[] groupOf = new Integer[seriesLabels.size()];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] = index.computeIfAbsent(groupLabels(seriesLabels.get(i), across), g -> index.size());
        }
        return new Grouping(groupOf, new ArrayList<>(index.keySet()));
    }

    /**
     * The same merge as {@link #merge} written as SQL over an inner query of (series_id, bucket, v): $1 holds the
     * series ids, {@code groupParam} their groups. Answers rows (group, bucket, v).
     */
    static String mergeSql(String inner, RangeQuery.CrossSeries across, int groupParam) {
        String value = switch (across.function()) {
            case SUM -> "sum(x.v)";
            case AVG -> "avg(x.v)";
            case COUNT -> "count(x.v)::float8";
            case MAX -> "max(x.v)"; // NaN is the greatest float8: it wins, as in Java's Math.max
            case MIN -> "CASE WHEN bool_or(x.v = 'NaN'::float8) THEN 'NaN'::float8 ELSE min(x.v) END"; // Math.min
            default -> throw new IllegalStateException("refused by QueryEngine.validate");
        };
        return "SELECT g.grp, x.bucket, " + value + " AS v FROM (" + inner + ") x JOIN unnest($1::int8[], $" + groupParam
                + "::int4[]) AS g(id, grp) ON g.id = x.series_id GROUP BY 1, 2 ORDER BY 1, 2";
    }

    private static Map<String, String> groupLabels(Map<String, String> labels, RangeQuery.CrossSeries across) {
        Map<String, String> group = new TreeMap<>();
        if (!across.without().isEmpty()) {
            Set<String> dropped = new HashSet<>(across.without());
            dropped.add("__name__");
            labels.forEach((k, v) -> {
                if (!dropped.contains(k)) {
                    group.put(k, v);
                }
            });
        } else {
            for (String name : across.groupBy()) {
                String v = labels.get(name);
                if (v != null) {
                    group.put(name, v);
                }
            }
        }
        return group;
    }
}
