package io.tidemark.alerting.state;

import io.tidemark.alerting.eval.AlertSample;
import io.tidemark.alerting.rules.AlertTemplate;
import io.tidemark.alerting.rules.RuleSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert state machine of one alerting rule, as Prometheus runs it: a label set returned by the expression is
 * pending, then firing once it has been returned for {@code for}; when it is no longer returned it stays firing for
 * {@code keep_firing_for}, then is resolved (kept {@link #RESOLVED_RETENTION_MS} so the resolution can be notified);
 * a pending alert that disappears is dropped. Pure: the caller passes the time and keeps the result.
 */
public final class RuleStateMachine {

    /** How long a resolved alert is kept (Prometheus' resolvedRetention). */
    public static final long RESOLVED_RETENTION_MS = 15 * 60_000L;

    public record Evaluation(Map<String, ActiveAlert> alerts, List<Transition> transitions) {
    }

    /** Two samples whose labels are equal once the rule's labels are applied. */
    public static final class DuplicateLabelSetException extends RuntimeException {
        public DuplicateLabelSetException(Map<String, String> labels) {
            super("vector contains metrics with the same labelset after applying alert labels: " + labels);
        }
    }

    private RuleStateMachine() {
    }

    public static Evaluation evaluate(RuleSpec rule, Map<String, ActiveAlert> previous, List<AlertSample> samples,
            long nowMs) {
        Map<String, ActiveAlert> next = new LinkedHashMap<>();
        List<Transition> transitions = new ArrayList<>();
        Map<String, AlertSample> seen = new HashMap<>();
        Map<String, Map<String, String>> seenLabels = new HashMap<>();
        for (AlertSample sample : samples) {
            Map<String, String> labels = alertLabels(rule, sample);
            String fp = Fingerprints.of(labels);
            if (seen.put(fp, sample) != null) {
                throw new DuplicateLabelSetException(labels);
            }
            seenLabels.put(fp, labels);
        }
        for (Map.Entry<String, AlertSample> e : seen.entrySet()) {
            String fp = e.getKey();
            AlertSample sample = e.getValue();
            Map<String, String> labels = seenLabels.get(fp);
            Map<String, String> annotations = annotations(rule, labels, sample.value());
            ActiveAlert old = previous.get(fp);
            ActiveAlert current;
            if (old != null && old.state() != AlertState.RESOLVED && old.state() != AlertState.INACTIVE) {
                current = old.with(old.state(), sample.value(), annotations, old.firedAtMs(), 0, nowMs, 0);
            } else {
                current = new ActiveAlert(fp, labels, annotations, AlertState.PENDING, sample.value(), nowMs, 0, 0,
                        nowMs, 0);
                transitions.add(new Transition(fp, labels, old == null ? AlertState.INACTIVE : old.state(),
                        AlertState.PENDING, sample.value(), nowMs));
            }
            if (current.state() == AlertState.PENDING && nowMs - current.activeAtMs() >= rule.forMs()) {
                current = current.with(AlertState.FIRING, current.value(), annotations, nowMs, 0, nowMs, 0);
                transitions.add(new Transition(fp, labels, AlertState.PENDING, AlertState.FIRING, current.value(),
                        nowMs));
            }
            next.put(fp, current);
        }
        for (ActiveAlert old : previous.values()) {
            if (seen.containsKey(old.fingerprint())) {
                continue;
            }
            switch (old.state()) {
                case PENDING -> transitions.add(new Transition(old.fingerprint(), old.labels(), AlertState.PENDING,
                        AlertState.INACTIVE, old.value(), nowMs));
                case FIRING -> {
                    long since = old.keepFiringSinceMs() == 0 ? nowMs : old.keepFiringSinceMs();
                    if (rule.keepFiringForMs() > 0 && nowMs - since < rule.keepFiringForMs()) {
                        next.put(old.fingerprint(), old.with(AlertState.FIRING, old.value(), old.annotations(),
                                old.firedAtMs(), 0, old.lastSeenMs(), since));
                    } else {
                        next.put(old.fingerprint(), old.with(AlertState.RESOLVED, old.value(), old.annotations(),
                                old.firedAtMs(), nowMs, old.lastSeenMs(), 0));
                        transitions.add(new Transition(old.fingerprint(), old.labels(), AlertState.FIRING,
                                AlertState.RESOLVED, old.value(), nowMs));
                    }
                }
                case RESOLVED -> {
                    if (nowMs - old.resolvedAtMs() <= RESOLVED_RETENTION_MS) {
                        next.put(old.fingerprint(), old);
                    }
                }
                case INACTIVE -> {
                }
            }
        }
        return new Evaluation(next, transitions);
    }

    /** Sample labels without the metric name, then the rule's labels (templates expanded), then alertname. */
    static Map<String, String> alertLabels(RuleSpec rule, AlertSample sample) {
        Map<String, String> labels = new TreeMap<>(sample.labels());
        labels.remove("__name__");
        Map<String, String> base = Map.copyOf(labels);
        for (Map.Entry<String, String> e : rule.labels().entrySet()) {
            String value = AlertTemplate.parse(e.getValue()).expandForAlert(base, sample.value());
            if (value.isEmpty()) {
                labels.remove(e.getKey());
            } else {
                labels.put(e.getKey(), value);
            }
        }
        labels.put("alertname", rule.alert());
        return labels;
    }

    static Map<String, String> annotations(RuleSpec rule, Map<String, String> labels, double value) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : rule.annotations().entrySet()) {
            out.put(e.getKey(), AlertTemplate.parse(e.getValue()).expandForAlert(labels, value));
        }
        return out;
    }
}
