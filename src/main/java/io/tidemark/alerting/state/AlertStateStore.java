package io.tidemark.alerting.state;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.rules.RuleGroupJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alert states ({@code alert_instances}), their history and each group's last evaluation time. The evaluator writes
 * a group's whole state after each evaluation, in one transaction with its history rows: a new lease holder (or the
 * same replica after a restart) continues from exactly what was decided.
 */
@Singleton
public class AlertStateStore {

    private static final String INSERT_INSTANCE = "INSERT INTO alert_instances (tenant, rule_group, rule_name,"
            + " fingerprint, labels, annotations, state, value, active_at_ms, fired_at_ms, resolved_at_ms, last_seen_ms,"
            + " keep_firing_since_ms, channels) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
    private static final String INSERT_HISTORY = "INSERT INTO alert_history (tenant, rule_group, rule_name, fingerprint,"
            + " labels, state, value, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    private final Pool pool;

    public AlertStateStore(Pool pool) {
        this.pool = pool;
    }

    /** Every stored alert, for a replica that just took the lease. */
    public Uni<List<StoredAlert>> loadAll() {
        return pool.query("SELECT * FROM alert_instances").execute().map(rows -> {
            List<StoredAlert> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(decode(r));
            }
            return out;
        });
    }

    public Uni<List<StoredAlert>> list(String tenant) {
        return pool.preparedQuery("SELECT * FROM alert_instances WHERE tenant = $1 ORDER BY rule_group, rule_name,"
                + " fingerprint").execute(Tuple.of(tenant)).map(rows -> {
                    List<StoredAlert> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(decode(r));
                    }
                    return out;
                });
    }

    public Uni<Map<String, Long>> lastEvaluations() {
        return pool.query("SELECT tenant, rule_group, last_eval_ms FROM alert_group_evaluations").execute().map(rows -> {
            Map<String, Long> out = new HashMap<>();
            for (Row r : rows) {
                out.put(r.getString("tenant") + "\u0000" + r.getString("rule_group"), r.getLong("last_eval_ms"));
            }
            return out;
        });
    }

    /** Replaces the group's alerts with {@code alerts} and appends the transitions, in one transaction. */
    public Uni<Void> saveGroup(String tenant, String group, GroupEvaluation evaluation, List<StoredAlert> alerts,
            List<HistoryEntry> transitions, java.util.function.Function<SqlConnection, Uni<Void>> fence) {
        return pool.withTransaction(conn -> fence.apply(conn).chain(() -> conn.preparedQuery("DELETE FROM alert_instances"
                + " WHERE tenant = $1 AND rule_group = $2").execute(Tuple.of(tenant, group)))
                .chain(() -> insertInstances(conn, alerts))
                .chain(() -> insertHistory(conn, tenant, transitions))
                .chain(() -> conn.preparedQuery("INSERT INTO alert_group_evaluations (tenant, rule_group, last_eval_ms,"
                        + " duration_s, health) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, rule_group) DO UPDATE SET"
                        + " last_eval_ms = $3, duration_s = $4, health = $5")
                        .execute(Tuple.of(tenant, group, evaluation.atMs(), evaluation.durationSeconds(),
                                evaluation.healthJson())))
                .replaceWithVoid());
    }

    /** The last evaluation of each group of a tenant, by group name. */
    public Uni<Map<String, GroupEvaluation>> evaluations(String tenant) {
        return pool.preparedQuery("SELECT rule_group, last_eval_ms, duration_s, health FROM alert_group_evaluations"
                + " WHERE tenant = $1").execute(Tuple.of(tenant)).map(rows -> {
                    Map<String, GroupEvaluation> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("rule_group"), GroupEvaluation.fromJson(r.getLong("last_eval_ms"),
                                r.getDouble("duration_s"), json(r.getValue("health"))));
                    }
                    return out;
                });
    }

    private static Uni<Void> insertInstances(SqlConnection conn, List<StoredAlert> alerts) {
        if (alerts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (StoredAlert s : alerts) {
            ActiveAlert a = s.alert();
            rows.add(Tuple.from(List.of(s.tenant(), s.ruleGroup(), s.rule(), a.fingerprint(),
                    new JsonObject(new HashMap<>(a.labels())), new JsonObject(new HashMap<>(a.annotations())),
                    a.state().label(), a.value(), a.activeAtMs(), a.firedAtMs(), a.resolvedAtMs(), a.lastSeenMs(),
                    a.keepFiringSinceMs(), new JsonArray(new ArrayList<>(s.channels())))));
        }
        return conn.preparedQuery(INSERT_INSTANCE).executeBatch(rows).replaceWithVoid();
    }

    private static Uni<Void> insertHistory(SqlConnection conn, String tenant, List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (HistoryEntry h : entries) {
            rows.add(Tuple.from(List.of(tenant, h.ruleGroup(), h.rule(), h.fingerprint(),
                    new JsonObject(new HashMap<>(h.labels())), h.state().label(), h.value(), h.atMs())));
        }
        return conn.preparedQuery(INSERT_HISTORY).executeBatch(rows).replaceWithVoid();
    }

    /** History newest first; null/0 filters match anything. */
    public Uni<List<HistoryEntry>> history(String tenant, String rule, AlertState state, long startMs, long endMs,
            int limit) {
        return pool.preparedQuery("SELECT * FROM alert_history WHERE tenant = $1 AND ($2::text IS NULL OR rule_name = $2)"
                + " AND ($3::text IS NULL OR state = $3) AND at_ms >= $4 AND at_ms <= $5 ORDER BY at_ms DESC, id DESC"
                + " LIMIT $6")
                .execute(Tuple.from(java.util.Arrays.asList(tenant, rule, state == null ? null : state.label(), startMs,
                        endMs <= 0 ? Long.MAX_VALUE : endMs, limit)))
                .map(rows -> {
                    List<HistoryEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new HistoryEntry(r.getString("fingerprint"), r.getString("rule_group"),
                                r.getString("rule_name"), RuleGroupJson.strings(json(r.getValue("labels"))),
                                AlertState.parse(r.getString("state")), r.getDouble("value"), r.getLong("at_ms")));
                    }
                    return out;
                });
    }

    private static StoredAlert decode(Row r) {
        ActiveAlert a = new ActiveAlert(r.getString("fingerprint"), RuleGroupJson.strings(json(r.getValue("labels"))),
                RuleGroupJson.strings(json(r.getValue("annotations"))), AlertState.parse(r.getString("state")),
                r.getDouble("value"), r.getLong("active_at_ms"), r.getLong("fired_at_ms"), r.getLong("resolved_at_ms"),
                r.getLong("last_seen_ms"), r.getLong("keep_firing_since_ms"));
        List<String> channels = new ArrayList<>();
        Object c = r.getValue("channels");
        JsonArray array = c instanceof JsonArray j ? j : new JsonArray(String.valueOf(c));
        array.forEach(x -> channels.add(String.valueOf(x)));
        return new StoredAlert(r.getString("tenant"), r.getString("rule_group"), r.getString("rule_name"), a, channels);
    }

    static JsonObject json(Object v) {
        return v instanceof JsonObject j ? j : new JsonObject(String.valueOf(v));
    }
}
