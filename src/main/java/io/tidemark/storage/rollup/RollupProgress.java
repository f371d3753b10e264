package io.tidemark.storage.rollup;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** How far each tier is complete ({@code rollup_progress}), as last read or written by this replica. */
@Singleton
public class RollupProgress {

    private final Pool pool;
    private final Map<RollupTier, Long> doneUntil = new ConcurrentHashMap<>();

    public RollupProgress(Pool pool) {
        this.pool = pool;
    }

    public OptionalLong doneUntil(RollupTier tier) {
        Long done = doneUntil.get(tier);
        return done == null ? OptionalLong.empty() : OptionalLong.of(done);
    }

    /** Reads every tier's progress from PostgreSQL (another replica may have advanced it). */
    public Uni<Void> refresh() {
        return pool.query("SELECT tier, done_until FROM rollup_progress").execute().invoke(rows -> rows.forEach(r -> {
            for (RollupTier tier : RollupTier.values()) {
                if (tier.label().equals(r.getString(0))) {
                    doneUntil.merge(tier, r.getLong(1), Math::max);
                }
            }
        })).replaceWithVoid();
    }

    void advanced(RollupTier tier, long toMs) {
        doneUntil.merge(tier, toMs, Math::max);
    }

    double lagSeconds(RollupTier tier, long nowMs) {
        Long done = doneUntil.get(tier);
        return done == null ? Double.NaN : Math.max(0, nowMs - done) / 1000.0;
    }
}
