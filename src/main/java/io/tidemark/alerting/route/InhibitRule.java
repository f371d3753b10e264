package io.tidemark.alerting.route;

import io.tidemark.promql.LabelMatcher;
import java.util.List;

/** While an alert matching {@code source} fires, alerts matching {@code target} with the same {@code equal} labels are muted. */
public record InhibitRule(List<LabelMatcher> source, List<LabelMatcher> target, List<String> equal) {
}
