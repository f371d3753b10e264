package io.tidemark.alerting.route;

import io.tidemark.promql.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node of the routing tree with its settings already inherited from its parents. {@code groupBy} null with
 * {@code groupByAll} false means "group everything together"; {@code groupByAll} ({@code group_by: ['...']}) groups
 * by every label. {@code id} is the node's path ("0.1"), part of the notification group key.
 */
public record Route(String id, List<LabelMatcher> matchers, String receiver, List<String> groupBy, boolean groupByAll,
        long groupWaitMs, long groupIntervalMs, long repeatIntervalMs, boolean continueMatching, Escalation escalation,
        List<Route> routes) {

    /** Escalate firing alerts not acknowledged within {@code afterMs} to a second receiver. */
    public record Escalation(String receiver, long afterMs) {
    }

    /** The routes an alert goes to, as Alertmanager walks the tree: deepest matches, siblings until one without continue. */
    public List<Route> match(Map<String, String> labels) {
        if (!Matchers.matchAll(matchers, labels)) {
            return List.of();
        }
        List<Route> all = new ArrayList<>();
        for (Route child : routes) {
            List<Route> matched = child.match(labels);
            all.addAll(matched);
            if (!matched.isEmpty() && !child.continueMatching()) {
                break;
            }
        }
        return all.isEmpty() ? List.of(this) : all;
    }

    /** The same settings sending to another receiver (channels of threshold rules, escalations). */
    public Route toReceiver(String id, String receiver) {
        return new Route(id, List.of(), receiver, groupBy, groupByAll, groupWaitMs, groupIntervalMs, repeatIntervalMs,
                false, null, List.of());
    }
}
