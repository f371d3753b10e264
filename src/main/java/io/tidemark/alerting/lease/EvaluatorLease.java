package io.tidemark.alerting.lease;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;

/**
 * A single-holder lease in PostgreSQL ({@code alert_leases}): taken when free or expired, renewed by its holder, with
 * the database's clock only. It needs no Redis. Writes of the holder check it in their own transaction
 * ({@link #fence}), so a holder that lost the lease (paused, partitioned) cannot write after its successor.
 */
public final class EvaluatorLease {

    /** The holder no longer holds the lease. */
    public static final class LeaseLostException extends RuntimeException {
        public LeaseLostException(String name) {
            super("lease " + name + " is no longer held by this replica");
        }
    }

    private final Pool pool;
    private final String name;
    private final String holder;
    private final Duration ttl;

    public EvaluatorLease(Pool pool, String name, String holder, Duration ttl) {
        this.pool = pool;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
    }

    public String holder() {
        return holder;
    }

    /** Takes or renews the lease; true when this replica holds it for another ttl. */
    public Uni<Boolean> acquire() {
        return pool.preparedQuery("INSERT INTO alert_leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp()"
                + " + $3 * interval '1 millisecond') ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,"
                + " expires_at = EXCLUDED.expires_at WHERE alert_leases.holder = EXCLUDED.holder"
                + " OR alert_leases.expires_at < clock_timestamp() RETURNING holder")
                .execute(Tuple.of(name, holder, ttl.toMillis())).map(rows -> rows.rowCount() == 1);
    }

    /** Fails the surrounding transaction unless this replica still holds the lease (and keeps it until commit). */
    public Uni<Void> fence(SqlConnection conn) {
        return conn.preparedQuery("SELECT 1 FROM alert_leases WHERE name = $1 AND holder = $2"
                + " AND expires_at > clock_timestamp() FOR SHARE").execute(Tuple.of(name, holder)).map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new LeaseLostException(name);
                    }
                    return null;
                });
    }

    /** Gives the lease up (orderly shutdown) so another replica takes over at once. */
    public Uni<Void> release() {
        return pool.preparedQuery("DELETE FROM alert_leases WHERE name = $1 AND holder = $2")
                .execute(Tuple.of(name, holder)).replaceWithVoid();
    }
}
