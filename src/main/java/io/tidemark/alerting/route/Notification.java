package io.tidemark.alerting.route;

import java.util.List;
import java.util.Map;

/** One message to one receiver about one group: its firing and resolved alerts. */
public record Notification(String groupKey, String receiver, Map<String, String> groupLabels, List<RoutedAlert> firing,
        List<RoutedAlert> resolved, boolean escalation) {

    public String status() {
        return firing.isEmpty() ? "resolved" : "firing";
    }
}
