package io.tidemark.promql.eval;

import io.tidemark.promql.LabelMatcher;
import java.util.List;

/**
 * What the evaluator needs from storage for one selector: every series matching all {@code matchers}, with its
 * samples whose timestamps lie in {@code [minTimeMs, maxTimeMs]} (both ends included). A series with no sample in
 * that range may be left out.
 */
public record SelectRequest(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {

    public SelectRequest {
        matchers = List.copyOf(matchers);
    }
}
