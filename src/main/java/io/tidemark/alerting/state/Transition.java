package io.tidemark.alerting.state;

import java.util.Map;

/** A state change of one alert, as written to the history. */
public record Transition(String fingerprint, Map<String, String> labels, AlertState from, AlertState to, double value,
        long atMs) {
}
