package io.tidemark.alerting.route;

import io.tidemark.alerting.state.AlertState;
import java.util.List;
import java.util.Map;

/**
 * A firing or resolved alert as routing sees it. {@code startsAtMs} is when it fired, {@code endsAtMs} when it
 * resolved (0 while firing); {@code channels} name receivers that bypass the tree; {@code ackedBy} is null unless
 * this activation was acknowledged.
 */
public record RoutedAlert(String fingerprint, String ruleGroup, String rule, Map<String, String> labels,
        Map<String, String> annotations, AlertState state, double value, long startsAtMs, long endsAtMs,
        List<String> channels, String ackedBy, long ackedAtMs) {

    public boolean firing() {
        return state == AlertState.FIRING;
    }
}
