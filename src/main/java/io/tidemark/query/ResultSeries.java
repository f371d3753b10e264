package io.tidemark.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One series of an answer: labels and its points (bucket start, value), in time order. */
public record ResultSeries(Map<String, String> labels, long[] timestamps, double[] values) {

    /** Joins answers over disjoint, time-ordered bucket ranges into one series per label set. */
    static List<ResultSeries> concat(Collection<List<ResultSeries>> timeOrderedParts) {
        Map<Map<String, String>, PointsBuilder> points = new LinkedHashMap<>();
        for (List<ResultSeries> part : timeOrderedParts) {
            for (ResultSeries s : part) {
                PointsBuilder p = points.computeIfAbsent(s.labels(), l -> new PointsBuilder());
                for (int i = 0; i < s.timestamps().length; i++) {
                    p.add(s.timestamps()[i], s.values()[i]);
                }
            }
        }
        List<ResultSeries> result = new ArrayList<>(points.size());
        points.forEach((labels, p) -> result.add(p.build(labels)));
        return result;
    }
}
