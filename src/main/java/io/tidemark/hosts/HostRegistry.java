package io.tidemark.hosts;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The hosts table: heartbeats, listings, decommissioning, and the inactive transition. */
@Singleton
public class HostRegistry {

    private static final String COLUMNS = "tenant, host_id, hostname, ip_address, environment, datacenter, "
            + "agent_version, last_seen, status, tags, buffer_depth, samples_dropped, created_at, updated_at";
    private static final String UNIQUE_VIOLATION = "23505";
    public static final int DEFAULT_LIMIT = 1000;

    private final Pool pool;

    public HostRegistry(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records a heartbeat: registers the host or updates it, and makes it active. A hostname held by another host
     * that is inactive or decommissioned passes to this one (a reinstalled machine gets a new id); held by another
     * active host, it is refused.
     */
    public Uni<Host> heartbeat(String tenant, Heartbeat hb) {
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM hosts WHERE tenant = $1 AND hostname = $2"
                + " AND host_id <> $3 AND status <> 'active'").execute(Tuple.of(tenant, hb.hostname(), hb.hostId()))
                .chain(() -> conn.preparedQuery("SELECT host_id FROM hosts WHERE tenant = $1 AND hostname = $2"
                        + " AND host_id <> $3").execute(Tuple.of(tenant, hb.hostname(), hb.hostId())))
                .chain(holders -> {
                    if (holders.size() > 0) {
                        return Uni.createFrom().failure(new HostnameTakenException(hb.hostname(),
                                holders.iterator().next().getUUID("host_id")));
                    }
                    return conn.preparedQuery("INSERT INTO hosts (tenant, host_id, hostname, ip_address, environment,"
                            + " datacenter, agent_version, last_seen, status, tags, buffer_depth, samples_dropped)"
                            + " VALUES ($1, $2, $3, $4, $5, $6, $7, now(), 'active', $8, $9, $10)"
                            + " ON CONFLICT (tenant, host_id) DO UPDATE SET hostname = EXCLUDED.hostname,"
                            + " ip_address = EXCLUDED.ip_address, environment = EXCLUDED.environment,"
                            + " datacenter = EXCLUDED.datacenter, agent_version = EXCLUDED.agent_version,"
                            + " last_seen = now(), status = 'active', tags = EXCLUDED.tags,"
                            + " buffer_depth = EXCLUDED.buffer_depth, samples_dropped = EXCLUDED.samples_dropped,"
                            + " updated_at = now() RETURNING " + COLUMNS)
                            .execute(Tuple.from(List.of(tenant, hb.hostId(), hb.hostname(), hb.ipAddress(),
                                    hb.environment(), hb.datacenter(), hb.agentVersion(), new JsonObject(
                                            new LinkedHashMap<>(hb.labels())), hb.bufferDepth(), hb.samplesDropped())));
                }))
                .map(rows -> toHost(rows.iterator().next()))
                .onFailure(f -> f instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .transform(f -> new HostnameTakenException(hb.hostname(), hb.hostId()));
    }

    /** Hosts of a tenant, by hostname; {@code status} null = every status; {@code labels} must all match. */
    public Uni<List<Host>> list(String tenant, HostStatus status, Map<String, String> labels, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM hosts WHERE tenant = $1"
                + " AND ($2::text IS NULL OR status = $2) AND tags @> $3 ORDER BY hostname LIMIT $4")
                .execute(Tuple.of(tenant, status == null ? null : status.label(),
                        new JsonObject(new LinkedHashMap<>(labels)), limit <= 0 ? DEFAULT_LIMIT : limit))
                .map(HostRegistry::toHosts);
    }

    public Uni<Host> decommission(String tenant, UUID hostId) {
        return pool.preparedQuery("UPDATE hosts SET status = 'decommissioned', updated_at = now()"
                + " WHERE tenant = $1 AND host_id = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(tenant, hostId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new HostNotFoundException(tenant, hostId);
                    }
                    return toHost(rows.iterator().next());
                });
    }

    /** Active hosts whose last heartbeat is before {@code cutoff} become inactive; returns them. */
    public Uni<List<Host>> markInactive(Instant cutoff) {
        return pool.preparedQuery("UPDATE hosts SET status = 'inactive', updated_at = now()"
                + " WHERE status = 'active' AND last_seen < $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)))
                .map(HostRegistry::toHosts);
    }

    /** Every host that is expected to report (not decommissioned), across tenants. */
    public Uni<List<Host>> monitored() {
        return pool.query("SELECT " + COLUMNS + " FROM hosts WHERE status <> 'decommissioned'").execute()
                .map(HostRegistry::toHosts);
    }

    private static List<Host> toHosts(RowSet<Row> rows) {
        List<Host> hosts = new ArrayList<>(rows.size());
        for (Row row : rows) {
            hosts.add(toHost(row));
        }
        return hosts;
    }

    private static Host toHost(Row row) {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonObject json = row.getJsonObject("tags");
        if (json != null) {
            json.forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return new Host(row.getString("tenant"), row.getUUID("host_id"), row.getString("hostname"),
                row.getString("ip_address"), row.getString("environment"), row.getString("datacenter"),
                row.getString("agent_version"), row.getOffsetDateTime("last_seen").toInstant(),
                HostStatus.fromLabel(row.getString("status")), tags, row.getLong("buffer_depth"),
                row.getLong("samples_dropped"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
