package io.tidemark.alerting.eval;

import java.util.Map;

/** One element of an instant vector: a series' labels (with {@code __name__} if it kept one) and its value. */
public record AlertSample(Map<String, String> labels, double value) {

    public AlertSample {
        labels = Map.copyOf(labels);
    }
}
