package io.tidemark.promql.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The value of an instant-vector or scalar expression over all steps of an evaluation (Prometheus' Matrix). */
record Mat(List<StepSeries> series) {

    long points() {
        long n = 0;
        for (StepSeries s : series) {
            n += s.size;
        }
        return n;
    }

    boolean hasDuplicateLabels() {
        if (series.size() < 2) {
            return false;
        }
        Set<Labels> seen = new HashSet<>();
        for (StepSeries s : series) {
            if (!seen.add(s.labels)) {
                return true;
            }
        }
        return false;
    }
}
