package io.tidemark.alerting.route;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Routing configurations, notification group states and acknowledgements. */
@Singleton
public class RoutingStore {

    /** Who acknowledged an alert's activation, and when. */
    public record Ack(String fingerprint, long activeAtMs, String by, long atMs, String comment) {
    }

    private final Pool pool;

    public RoutingStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> putConfig(String tenant, String yaml) {
        return pool.preparedQuery("INSERT INTO alert_routing_configs (tenant, yaml) VALUES ($1, $2) ON CONFLICT (tenant)"
                + " DO UPDATE SET yaml = EXCLUDED.yaml, updated_at = now()").execute(Tuple.of(tenant, yaml))
                .replaceWithVoid();
    }

    public Uni<Optional<String>> config(String tenant) {
        return pool.preparedQuery("SELECT yaml FROM alert_routing_configs WHERE tenant = $1").execute(Tuple.of(tenant))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("yaml")));
    }

    public Uni<Map<String, String>> allConfigs() {
        return pool.query("SELECT tenant, yaml FROM alert_routing_configs").execute().map(rows -> {
            Map<String, String> out = new HashMap<>();
            for (Row r : rows) {
                out.put(r.getString("tenant"), r.getString("yaml"));
            }
            return out;
        });
    }

    public Uni<Map<String, GroupState>> groups(String tenant) {
        return pool.preparedQuery("SELECT * FROM alert_notification_groups WHERE tenant = $1").execute(Tuple.of(tenant))
                .map(rows -> {
                    Map<String, GroupState> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("group_key"), new GroupState(r.getString("group_key"),
                                r.getString("receiver"), r.getLong("first_seen_ms"), r.getLong("last_notified_ms"),
                                set(r.getValue("notified_firing")), set(r.getValue("notified_resolved"))));
                    }
                    return out;
                });
    }

    /** Writes changed group states and drops removed ones, inside the dispatcher's transaction. */
    public Uni<Void> saveGroups(SqlConnection conn, String tenant, Map<String, GroupState> previous,
            Map<String, GroupState> current, Set<String> removed) {
        List<Tuple> upserts = new ArrayList<>();
        for (GroupState g : current.values()) {
            if (!g.equals(previous.get(g.groupKey()))) {
                upserts.add(Tuple.from(List.of(tenant, g.groupKey(), g.receiver(), g.firstSeenMs(), g.lastNotifiedMs(),
                        new JsonArray(new ArrayList<>(g.notifiedFiring())),
                        new JsonArray(new ArrayList<>(g.notifiedResolved())))));
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (!upserts.isEmpty()) {
            chain = conn.preparedQuery("INSERT INTO alert_notification_groups (tenant, group_key, receiver, first_seen_ms,"
                    + " last_notified_ms, notified_firing, notified_resolved) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                    + " ON CONFLICT (tenant, group_key) DO UPDATE SET receiver = EXCLUDED.receiver,"
                    + " first_seen_ms = EXCLUDED.first_seen_ms, last_notified_ms = EXCLUDED.last_notified_ms,"
                    + " notified_firing = EXCLUDED.notified_firing, notified_resolved = EXCLUDED.notified_resolved")
                    .executeBatch(upserts).replaceWithVoid();
        }
        if (!removed.isEmpty()) {
            chain = chain.chain(() -> conn.preparedQuery("DELETE FROM alert_notification_groups WHERE tenant = $1"
                    + " AND group_key = ANY($2)").execute(Tuple.of(tenant, removed.toArray(new String[0])))
                    .replaceWithVoid());
        }
        return chain;
    }

    public Uni<Void> acknowledge(String tenant, Ack ack) {
        return pool.preparedQuery("INSERT INTO alert_acks (tenant, fingerprint, active_at_ms, acked_by, acked_at_ms,"
                + " comment) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, fingerprint, active_at_ms) DO UPDATE"
                + " SET acked_by = EXCLUDED.acked_by, acked_at_ms = EXCLUDED.acked_at_ms, comment = EXCLUDED.comment")
                .execute(Tuple.from(List.of(tenant, ack.fingerprint(), ack.activeAtMs(), ack.by(), ack.atMs(),
                        ack.comment())))
                .replaceWithVoid();
    }

    /** Acknowledgements by fingerprint and activation ("fp@activeAt"). */
    public Uni<Map<String, Ack>> acks(String tenant) {
        return pool.preparedQuery("SELECT * FROM alert_acks WHERE tenant = $1").execute(Tuple.of(tenant)).map(rows -> {
            Map<String, Ack> out = new HashMap<>();
            for (Row r : rows) {
                Ack a = new Ack(r.getString("fingerprint"), r.getLong("active_at_ms"), r.getString("acked_by"),
                        r.getLong("acked_at_ms"), r.getString("comment"));
                out.put(a.fingerprint() + "@" + a.activeAtMs(), a);
            }
            return out;
        });
    }

    private static Set<String> set(Object v) {
        JsonArray array = v instanceof JsonArray j ? j : new JsonArray(String.valueOf(v));
        Set<String> out = new HashSet<>();
        array.forEach(x -> out.add(String.valueOf(x)));
        return out;
    }
}
