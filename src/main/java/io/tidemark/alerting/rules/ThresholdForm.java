package io.tidemark.alerting.rules;

import java.util.List;
import java.util.Map;

/**
 * The simple threshold form (seed 003): {@code metric}, {@code aggregation} (avg, min, max, sum, count, last, pNN),
 * {@code tags}, {@code condition} above/below, {@code threshold}, {@code duration} (the rule's for), {@code channels}.
 * Null or empty optional fields take the defaults of {@link RuleForms}.
 */
public record ThresholdForm(String name, String metric, String aggregation, Map<String, String> tags, String condition,
        Double threshold, String duration, List<String> channels, String window, List<String> groupBy,
        Map<String, String> labels, Map<String, String> annotations) {
}
