package io.tidemark.alerting.outbox;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.notify.OutboxMessage;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The notification outbox ({@code alert_outbox}): rows are written in the transaction that decided them and claimed
 * by any replica with {@code FOR UPDATE SKIP LOCKED}; a claim lasts {@code claimMs}, after which a row whose sender
 * died is claimed again. Delivery is at least once.
 */
@Singleton
public class OutboxStore {

    private final Pool pool;

    public OutboxStore(Pool pool) {
        this.pool = pool;
    }

    /** {@code decidedMs} is the evaluator's time of the decision; the first attempt is due at once (wall clock). */
    public Uni<Void> insert(SqlConnection conn, String tenant, List<OutboxMessage> messages, long decidedMs) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (OutboxMessage m : messages) {
            rows.add(Tuple.from(List.of(tenant, m.receiver(), m.channel(), m.target(), m.payload(), decidedMs,
                    System.currentTimeMillis())));
        }
        return conn.preparedQuery("INSERT INTO alert_outbox (tenant, receiver, channel, target, payload, created_ms,"
                + " next_attempt_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)").executeBatch(rows).replaceWithVoid();
    }

    /** Claims up to {@code limit} due rows for this replica. */
    public Uni<List<OutboxRow>> claim(long nowMs, long claimMs, int limit, int maxAttempts) {
        return pool.preparedQuery("UPDATE alert_outbox SET claimed_until_ms = $1 + $4 WHERE id IN ("
                + "SELECT id FROM alert_outbox WHERE delivered_ms IS NULL AND next_attempt_ms <= $1"
                + " AND claimed_until_ms <= $1 AND attempts < $3 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)"
                + " RETURNING id, tenant, receiver, channel, target, payload, attempts")
                .execute(Tuple.of(nowMs, limit, maxAttempts, claimMs)).map(rows -> {
                    List<OutboxRow> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new OutboxRow(r.getLong("id"), r.getString("tenant"), r.getString("receiver"),
                                r.getString("channel"), json(r.getValue("target")), json(r.getValue("payload")),
                                r.getInteger("attempts")));
                    }
                    out.sort(java.util.Comparator.comparingLong(OutboxRow::id));
                    return out;
                });
    }

    public Uni<Void> delivered(long id, long nowMs) {
        return pool.preparedQuery("UPDATE alert_outbox SET delivered_ms = $2, attempts = attempts + 1,"
                + " claimed_until_ms = 0, last_error = NULL WHERE id = $1").execute(Tuple.of(id, nowMs)).replaceWithVoid();
    }

    public Uni<Void> failed(long id, long nextAttemptMs, String error) {
        return pool.preparedQuery("UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = $2,"
                + " claimed_until_ms = 0, last_error = $3 WHERE id = $1").execute(Tuple.of(id, nextAttemptMs, error))
                .replaceWithVoid();
    }

    private static JsonObject json(Object v) {
        return v instanceof JsonObject j ? j : new JsonObject(String.valueOf(v));
    }
}
