package io.tidemark.alerting.rules;

import java.util.List;
import java.util.Map;

/**
 * The anomaly form (seed 001's dynamic threshold): fires while the value is outside its baseline mean
 * &plusmn; {@code k} standard deviations over the {@code baseline} window ({@code direction}: above, below, outside).
 */
public record AnomalyForm(String name, String metric, String aggregation, Map<String, String> tags, String direction,
        Double k, String baseline, String duration, List<String> channels, List<String> groupBy,
        Map<String, String> labels, Map<String, String> annotations) {
}
