package io.tidemark.alerting.rules;

import java.util.List;

/** Rules evaluated together, in order, every {@code intervalMs}. */
public record RuleGroup(String name, long intervalMs, List<RuleSpec> rules) {

    public RuleGroup {
        rules = List.copyOf(rules);
    }
}
