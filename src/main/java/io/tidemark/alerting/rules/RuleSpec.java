package io.tidemark.alerting.rules;

import java.util.List;
import java.util.Map;

/**
 * One alerting rule ({@code alert} non-null) or recording rule ({@code record} non-null) as stored and evaluated.
 * {@code channels} are receiver names that bypass the routing tree (threshold and anomaly forms).
 */
public record RuleSpec(String alert, String record, String expr, long forMs, long keepFiringForMs,
        Map<String, String> labels, Map<String, String> annotations, RuleForm form, List<String> channels) {

    public RuleSpec {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        channels = List.copyOf(channels);
    }

    public boolean isAlerting() {
        return alert != null;
    }

    /** The rule's name: the alert name or the recorded metric. */
    public String name() {
        return alert != null ? alert : record;
    }
}
