package io.tidemark.alerting.rules;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rule groups per tenant in {@code alert_rule_groups}. */
@Singleton
public class RuleStore {

    /** A group with its tenant, as the evaluator lists them. */
    public record TenantGroup(String tenant, RuleGroup group) {
    }

    private final Pool pool;

    public RuleStore(Pool pool) {
        this.pool = pool;
    }

    /** Stores the groups, each replacing a group of the same name, in one transaction. */
    public Uni<Void> put(String tenant, List<RuleGroup> groups) {
        return pool.withTransaction(conn -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (RuleGroup g : groups) {
                chain = chain.chain(() -> conn.preparedQuery("INSERT INTO alert_rule_groups (tenant, name, interval_ms,"
                        + " definition) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, name) DO UPDATE SET"
                        + " interval_ms = EXCLUDED.interval_ms, definition = EXCLUDED.definition, updated_at = now()")
                        .execute(Tuple.of(tenant, g.name(), g.intervalMs(), RuleGroupJson.encode(g))).replaceWithVoid());
            }
            return chain;
        });
    }

    public Uni<List<RuleGroup>> list(String tenant) {
        return pool.preparedQuery("SELECT name, interval_ms, definition FROM alert_rule_groups WHERE tenant = $1"
                + " ORDER BY name").execute(Tuple.of(tenant)).map(rows -> {
                    List<RuleGroup> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(decode(r));
                    }
                    return out;
                });
    }

    public Uni<List<TenantGroup>> all() {
        return pool.query("SELECT tenant, name, interval_ms, definition FROM alert_rule_groups ORDER BY tenant, name")
                .execute().map(rows -> {
                    List<TenantGroup> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new TenantGroup(r.getString("tenant"), decode(r)));
                    }
                    return out;
                });
    }

    public Uni<Optional<RuleGroup>> get(String tenant, String name) {
        return pool.preparedQuery("SELECT name, interval_ms, definition FROM alert_rule_groups WHERE tenant = $1"
                + " AND name = $2").execute(Tuple.of(tenant, name)).map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(decode(rows.iterator().next())));
    }

    /** Deletes the group and its alerts' states. */
    public Uni<Boolean> delete(String tenant, String name) {
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM alert_instances WHERE tenant = $1 AND"
                + " rule_group = $2").execute(Tuple.of(tenant, name))
                .chain(() -> conn.preparedQuery("DELETE FROM alert_rule_groups WHERE tenant = $1 AND name = $2")
                        .execute(Tuple.of(tenant, name)))
                .map(rows -> rows.rowCount() > 0));
    }

    private static RuleGroup decode(Row r) {
        Object def = r.getValue("definition");
        JsonObject json = def instanceof JsonObject j ? j : new JsonObject(String.valueOf(def));
        return RuleGroupJson.decode(r.getString("name"), r.getLong("interval_ms"), json);
    }
}
