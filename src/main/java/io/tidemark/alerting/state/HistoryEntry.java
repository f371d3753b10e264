package io.tidemark.alerting.state;

import java.util.Map;

/** One row of the alert history. */
public record HistoryEntry(String fingerprint, String ruleGroup, String rule, Map<String, String> labels,
        AlertState state, double value, long atMs) {
}
