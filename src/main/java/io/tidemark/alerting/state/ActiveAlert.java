package io.tidemark.alerting.state;

import java.util.Map;

/**
 * One alert of a rule: a label set and where it is. Times are epoch milliseconds; 0 means "not yet".
 * {@code keepFiringSinceMs} is when the condition stopped holding while keep_firing_for kept the alert firing.
 */
public record ActiveAlert(String fingerprint, Map<String, String> labels, Map<String, String> annotations,
        AlertState state, double value, long activeAtMs, long firedAtMs, long resolvedAtMs, long lastSeenMs,
        long keepFiringSinceMs) {

    public ActiveAlert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    ActiveAlert with(AlertState s, double v, Map<String, String> ann, long firedAt, long resolvedAt, long lastSeen,
            long keepFiringSince) {
        return new ActiveAlert(fingerprint, labels, ann, s, v, activeAtMs, firedAt, resolvedAt, lastSeen,
                keepFiringSince);
    }
}
