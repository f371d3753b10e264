package io.tidemark.alerting.silence;

import io.smallrye.mutiny.Uni;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Silences per tenant ({@code alert_silences}); expired ones stay listed. */
@Singleton
public class SilenceStore {

    private final Pool pool;

    public SilenceStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Silence> create(String tenant, Silence s) {
        Silence stored = new Silence(UUID.randomUUID().toString(), s.matchers(), s.startsAtMs(), s.endsAtMs(),
                s.createdBy(), s.comment());
        return pool.preparedQuery("INSERT INTO alert_silences (id, tenant, matchers, starts_at_ms, ends_at_ms,"
                + " created_by, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(List.of(UUID.fromString(stored.id()), tenant, encode(stored.matchers()),
                        stored.startsAtMs(), stored.endsAtMs(), stored.createdBy(), stored.comment())))
                .replaceWith(stored);
    }

    public Uni<List<Silence>> list(String tenant) {
        return pool.preparedQuery("SELECT * FROM alert_silences WHERE tenant = $1 ORDER BY starts_at_ms DESC, id")
                .execute(Tuple.of(tenant)).map(SilenceStore::decodeAll);
    }

    /** Silences not yet ended at {@code nowMs}. */
    public Uni<List<Silence>> current(String tenant, long nowMs) {
        return pool.preparedQuery("SELECT * FROM alert_silences WHERE tenant = $1 AND ends_at_ms > $2")
                .execute(Tuple.of(tenant, nowMs)).map(SilenceStore::decodeAll);
    }

    /** Ends the silence at {@code nowMs} (if it ends later); empty when there is no such silence. */
    public Uni<Optional<Silence>> expire(String tenant, String id, long nowMs) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery("UPDATE alert_silences SET ends_at_ms = LEAST(ends_at_ms, $3),"
                + " starts_at_ms = LEAST(starts_at_ms, $3) WHERE tenant = $1 AND id = $2 RETURNING *")
                .execute(Tuple.of(tenant, uuid, nowMs)).map(rows -> {
                    List<Silence> all = decodeAll(rows);
                    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
                });
    }

    private static List<Silence> decodeAll(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Silence> out = new ArrayList<>();
        for (Row r : rows) {
            Object m = r.getValue("matchers");
            JsonArray array = m instanceof JsonArray j ? j : new JsonArray(String.valueOf(m));
            List<LabelMatcher> matchers = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonObject o = array.getJsonObject(i);
                matchers.add(LabelMatcher.of(MatchType.valueOf(o.getString("type")), o.getString("name"),
                        o.getString("value")));
            }
            out.add(new Silence(r.getUUID("id").toString(), matchers, r.getLong("starts_at_ms"), r.getLong("ends_at_ms"),
                    r.getString("created_by"), r.getString("comment")));
        }
        return out;
    }

    private static JsonArray encode(List<LabelMatcher> matchers) {
        JsonArray array = new JsonArray();
        for (LabelMatcher m : matchers) {
            array.add(new JsonObject().put("name", m.name()).put("type", m.type().name()).put("value", m.value()));
        }
        return array;
    }
}
