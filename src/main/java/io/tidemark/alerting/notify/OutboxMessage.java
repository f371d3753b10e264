package io.tidemark.alerting.notify;

import io.vertx.core.json.JsonObject;

/**
 * A rendered notification for one channel: {@code channel} is webhook, slack, pagerduty or email; {@code target} says
 * where (url, or the SMTP settings and addresses); {@code payload} is what (the JSON body, or subject/text/html).
 */
public record OutboxMessage(String receiver, String channel, JsonObject target, JsonObject payload) {
}
