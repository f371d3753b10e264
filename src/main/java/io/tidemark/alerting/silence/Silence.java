package io.tidemark.alerting.silence;

import io.tidemark.alerting.route.Matchers;
import io.tidemark.promql.LabelMatcher;
import java.util.List;
import java.util.Map;

/** Mutes the alerts all its matchers select from {@code startsAtMs} until {@code endsAtMs}; expires by itself. */
public record Silence(String id, List<LabelMatcher> matchers, long startsAtMs, long endsAtMs, String createdBy,
        String comment) {

    public Silence {
        matchers = List.copyOf(matchers);
    }

    public boolean activeAt(long nowMs) {
        return startsAtMs <= nowMs && nowMs < endsAtMs;
    }

    public String status(long nowMs) {
        return nowMs < startsAtMs ? "pending" : nowMs < endsAtMs ? "active" : "expired";
    }

    public boolean mutes(Map<String, String> labels, long nowMs) {
        return activeAt(nowMs) && Matchers.matchAll(matchers, labels);
    }
}
