package io.tidemark.storage.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tidemark.storage.RetentionConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Enforces retention by dropping whole partitions (never row deletes): raw samples after {@code tidemark.retention.raw},
 * each rollup tier after its own retention, and only spans the next coarser tier already holds. Runs after each
 * rollup pass, under the same advisory lock.
 */
@Singleton
public class RetentionEnforcer {

    private static final Logger LOG = Logger.getLogger(RetentionEnforcer.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

    private final Pool pool;
    private final RetentionConfig retention;
    private final RollupProgress progress;
    private final Map<RetentionPlan.Level, Counter> dropped = new EnumMap<>(RetentionPlan.Level.class);

    public RetentionEnforcer(Pool pool, RetentionConfig retention, RollupProgress progress, MeterRegistry meters) {
        this.pool = pool;
        this.retention = retention;
        this.progress = progress;
        for (RetentionPlan.Level level : RetentionPlan.Level.values()) {
            dropped.put(level, Counter.builder("tidemark.retention.partitions.dropped").tag("table", level.table())
                    .description("Partitions dropped by retention").register(meters));
        }
    }

    /** Drops what the configured retention allows as of {@code nowMs}; returns the dropped partitions' names. */
    public Uni<List<String>> enforce(long nowMs) {
        Map<RetentionPlan.Level, Long> ms = new EnumMap<>(RetentionPlan.Level.class);
        ms.put(RetentionPlan.Level.RAW, retention.raw().toMillis());
        ms.put(RetentionPlan.Level.CHUNKS, retention.raw().toMillis());
        ms.put(RetentionPlan.Level.MINUTE, retention.minute().toMillis());
        ms.put(RetentionPlan.Level.HOUR, retention.hour().toMillis());
        ms.put(RetentionPlan.Level.DAY, retention.day().toMillis());
        return enforce(nowMs, ms);
    }

    /** As {@link #enforce(long)}, with explicit retention per level (tests choose theirs). */
    public Uni<List<String>> enforce(long nowMs, Map<RetentionPlan.Level, Long> retentionMs) {
        return progress.refresh().chain(() -> partitions()).chain(partitions -> {
            Map<RollupTier, OptionalLong> done = new EnumMap<>(RollupTier.class);
            for (RollupTier tier : RollupTier.values()) {
                done.put(tier, progress.doneUntil(tier));
            }
            List<RetentionPlan.Partition> drop = RetentionPlan.toDrop(partitions, nowMs, retentionMs, done);
            Uni<List<String>> chain = Uni.createFrom().item(new ArrayList<>());
            for (RetentionPlan.Partition p : drop) {
                chain = chain.chain(names -> drop(p).map(ok -> {
                    if (ok) {
                        names.add(p.name());
                    }
                    return names;
                }));
            }
            return chain;
        });
    }

    private Uni<Boolean> drop(RetentionPlan.Partition p) {
        return pool.withTransaction(conn -> conn.query("SELECT pg_try_advisory_xact_lock(" + RollupJob.LEASE_KEY + ")")
                .execute().chain(lock -> {
                    if (!lock.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(false);
                    }
                    // dropping a partition locks its parent: wait briefly, never stall ingest behind a long query
                    return conn.query("SET LOCAL lock_timeout = '2s'").execute()
                            .chain(() -> conn.query("DROP TABLE IF EXISTS " + p.name()).execute())
                            .map(done -> true);
                }))
                .invoke(ok -> {
                    if (ok) {
                        dropped.get(p.level()).increment();
                        LOG.infof("retention dropped partition %s", p.name());
                    }
                })
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("retention could not drop %s yet: %s", p.name(), f.getMessage());
                    return false;
                });
    }

    /** Every partition of the four tables, with the span its name gives. */
    private Uni<List<RetentionPlan.Partition>> partitions() {
        String sql = "SELECT p.relname AS parent, c.relname AS name FROM pg_inherits i"
                + " JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent"
                + " WHERE p.relname = ANY($1)";
        String[] tables = java.util.Arrays.stream(RetentionPlan.Level.values()).map(RetentionPlan.Level::table)
                .toArray(String[]::new);
        return pool.preparedQuery(sql).execute(Tuple.of(tables)).map(rows -> {
            List<RetentionPlan.Partition> partitions = new ArrayList<>();
            for (Row row : rows) {
                for (RetentionPlan.Level level : RetentionPlan.Level.values()) {
                    String prefix = level.table() + "_";
                    String name = row.getString("name");
                    if (level.table().equals(row.getString("parent")) && name.startsWith(prefix)) {
                        try {
                            long from = LocalDate.parse(name.substring(prefix.length()), SUFFIX).toEpochDay() * 86_400_000L;
                            partitions.add(new RetentionPlan.Partition(level, name, from));
                        } catch (DateTimeParseException notOurs) {
                            // a partition someone else created: never touched
                        }
                    }
                }
            }
            return partitions;
        });
    }
}
