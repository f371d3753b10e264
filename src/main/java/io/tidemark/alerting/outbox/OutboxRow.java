package io.tidemark.alerting.outbox;

import io.vertx.core.json.JsonObject;

/** A claimed outbox row: what to send, and how many attempts it had. */
public record OutboxRow(long id, String tenant, String receiver, String channel, JsonObject target, JsonObject payload,
        int attempts) {
}
