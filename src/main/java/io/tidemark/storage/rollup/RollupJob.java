package io.tidemark.storage.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tidemark.sketch.DDSketch;
import io.tidemark.storage.RetentionConfig;
import io.tidemark.storage.StorageConfig;
import io.tidemark.storage.chunk.ChunkCompactor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Computes the rollup tiers: 1m from samples, 1h from 1m, 1d from 1h, each up to what its source has complete,
 * in slices of one transaction each (rows + progress together, so a crash loses nothing and doubles nothing).
 * Buckets marked dirty by late samples are recomputed first. One replica at a time: every transaction takes a
 * PostgreSQL advisory lock and gives up when another replica holds it (no Redis needed).
 */
@Singleton
public class RollupJob {

    private static final Logger LOG = Logger.getLogger(RollupJob.class);
    /** The advisory lock all replicas contend for. */
    public static final long LEASE_KEY = 0x74696465726f6c6cL;
    private static final int FETCH_ROWS = 4096;
    private static final int INSERT_ROWS = 4096;
    private static final int SLICE_BUCKETS = 60;
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String PROGRESS = "INSERT INTO rollup_progress (tier, done_until) VALUES ($1, $2)"
            + " ON CONFLICT (tier) DO UPDATE SET done_until = EXCLUDED.done_until";

    private final Pool pool;
    private final RollupConfig config;
    private final RetentionConfig retention;
    private final RollupProgress progress;
    private final RetentionEnforcer retentionEnforcer;
    private final ChunkCompactor compactor;
    private final Duration compactionDelay;
    private final Map<RollupTier, Counter> rowsWritten = new EnumMap<>(RollupTier.class);
    private final AtomicLong lastRunEpochMs = new AtomicLong();
    private final Map<RollupTier, AtomicLong> pending = new EnumMap<>(RollupTier.class);
    private final Set<String> knownPartitions = ConcurrentHashMap.newKeySet();

    public RollupJob(Pool pool, RollupConfig config, RetentionConfig retention, RollupProgress progress,
            RetentionEnforcer retentionEnforcer, ChunkCompactor compactor, StorageConfig storage, MeterRegistry meters) {
        this.retentionEnforcer = retentionEnforcer;
        this.compactor = compactor;
        this.compactionDelay = storage.compactionDelay();
        this.pool = pool;
        this.config = config;
        this.retention = retention;
        this.progress = progress;
        for (RollupTier tier : RollupTier.values()) {
            rowsWritten.put(tier, Counter.builder("tidemark.rollup.rows").tag("tier", tier.label())
                    .description("Rollup rows written (recomputations included)").register(meters));
            pending.put(tier, new AtomicLong());
            Gauge.builder("tidemark.rollup.pending", pending.get(tier), AtomicLong::get).tag("tier", tier.label())
                    .description("Rolled-up buckets waiting for a recomputation (late samples) at the last pass")
                    .register(meters);
            Gauge.builder("tidemark.rollup.lag", progress, p -> p.lagSeconds(tier, System.currentTimeMillis()))
                    .tag("tier", tier.label()).baseUnit("seconds")
                    .description("How far the tier's complete part ends behind now").register(meters);
        }
        Gauge.builder("tidemark.rollup.last.run", lastRunEpochMs, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("When the rollup job last finished a pass (epoch seconds; 0 = never on this replica)")
                .register(meters);
    }

    @Scheduled(every = "${tidemark.rollup.interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        long now = System.currentTimeMillis();
        return runOnce(now).chain(() -> compactor.compactUntil(compactionHorizon(now), LEASE_KEY))
                .chain(() -> retentionEnforcer.enforce(now)).invoke(dropped -> {
            if (!dropped.isEmpty()) {
                forgetPartitions();
            }
        }).onFailure().invoke(f -> LOG.warnf("rollup pass failed: %s", f))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Blocks are compacted {@code compaction-delay} after their end, once their minutes are rolled up. */
    long compactionHorizon(long nowMs) {
        long closed = ChunkCompactor.blockOf(nowMs - compactionDelay.toMillis());
        OptionalLong minutes = progress.doneUntil(RollupTier.MINUTE);
        return minutes.isPresent() ? Math.min(closed, ChunkCompactor.blockOf(minutes.getAsLong())) : Long.MIN_VALUE;
    }

    /** One pass over every tier as of {@code nowMs}; returns the rows written per tier (empty if the lease is taken). */
    public Uni<Map<RollupTier, Long>> runOnce(long nowMs) {
        Map<RollupTier, Long> written = new EnumMap<>(RollupTier.class);
        Uni<Boolean> chain = Uni.createFrom().item(true);
        for (RollupTier tier : RollupTier.values()) {
            chain = chain.chain(leased -> leased ? runTier(tier, nowMs).map(n -> {
                if (n >= 0) {
                    written.put(tier, n);
                }
                return n >= 0;
            }) : Uni.createFrom().item(false));
        }
        return chain.map(leased -> {
            lastRunEpochMs.set(System.currentTimeMillis());
            return written;
        });
    }

    /** Rows written for the tier, or -1 when another replica holds the lease. */
    private Uni<Long> runTier(RollupTier tier, long nowMs) {
        return progress.refresh().chain(() -> {
            long start = progress.doneUntil(tier).orElse(initialStart(tier, nowMs));
            long end = targetEnd(tier, nowMs);
            return dirtyBuckets(tier, start).invoke(dirty -> pending.get(tier).set(dirty.size()))
                    .chain(dirty -> recompute(tier, dirty, 0, 0))
                    .chain(recomputed -> recomputed < 0 ? Uni.createFrom().item(-1L)
                            : advance(tier, start, end, recomputed));
        });
    }

    private Uni<Long> recompute(RollupTier tier, List<Long> dirty, int index, long total) {
        if (index == dirty.size()) {
            return Uni.createFrom().item(total);
        }
        long bucket = dirty.get(index);
        return slice(tier, bucket, bucket + tier.resolutionMs(), true).invoke(() -> pending.get(tier).decrementAndGet())
                .chain(n -> n < 0 ? Uni.createFrom().item(-1L) : recompute(tier, dirty, index + 1, total + n));
    }

    /** New buckets from {@code fromMs} to {@code endMs}, a slice per transaction; spans without samples are skipped whole. */
    private Uni<Long> advance(RollupTier tier, long fromMs, long endMs, long total) {
        if (fromMs >= endMs) {
            return Uni.createFrom().item(total);
        }
        Uni<Long> firstWithData = tier.source() == null ? firstSampleSpan(fromMs, endMs, 60 * tier.resolutionMs())
                : Uni.createFrom().item(fromMs);
        return firstWithData.chain(dataFrom -> {
            if (dataFrom > fromMs) {
                return skip(tier, dataFrom).chain(ok -> ok ? advance(tier, dataFrom, endMs, total) : Uni.createFrom().item(-1L));
            }
            long to = Math.min(endMs, fromMs + SLICE_BUCKETS * tier.resolutionMs());
            return slice(tier, fromMs, to, false).chain(n -> n < 0 ? Uni.createFrom().item(-1L)
                    : advance(tier, to, endMs, total + n));
        });
    }

    /**
     * The start of the first window (doubling from {@code windowMs}) at or after {@code fromMs} holding a sample, or
     * {@code endMs}: days without data cost a few index probes, not a transaction per hour.
     */
    private Uni<Long> firstSampleSpan(long fromMs, long endMs, long windowMs) {
        if (fromMs >= endMs) {
            return Uni.createFrom().item(endMs);
        }
        long to = Math.min(endMs, fromMs + windowMs);
        return pool.preparedQuery("SELECT 1 FROM samples WHERE ts >= $1 AND ts < $2 LIMIT 1").execute(Tuple.of(fromMs, to))
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(fromMs)
                        : firstSampleSpan(to, endMs, windowMs * 2));
    }

    /** Moves the tier's progress over a span without samples. */
    private Uni<Boolean> skip(RollupTier tier, long toMs) {
        return pool.withTransaction(conn -> conn.query("SELECT pg_try_advisory_xact_lock(" + LEASE_KEY + ")").execute()
                .chain(lock -> !lock.iterator().next().getBoolean(0) ? Uni.createFrom().item(false)
                        : conn.preparedQuery(PROGRESS).execute(Tuple.of(tier.label(), toMs)).map(r -> true)))
                .invoke(ok -> {
                    if (ok) {
                        progress.advanced(tier, toMs);
                    }
                });
    }

    /** The first bucket a tier starts from when it has no progress yet: the oldest raw sample that may exist. */
    private long initialStart(RollupTier tier, long nowMs) {
        return tier.bucketOf(RollupTier.MINUTE.bucketOf(nowMs - retention.raw().toMillis()));
    }

    /** Where the tier may go this pass: closed, settled minutes; hours and days whose finer tier is complete. */
    private long targetEnd(RollupTier tier, long nowMs) {
        if (tier.source() == null) {
            return tier.bucketOf(nowMs - config.settle().toMillis());
        }
        OptionalLong source = progress.doneUntil(tier.source());
        return source.isPresent() ? tier.bucketOf(source.getAsLong()) : Long.MIN_VALUE;
    }

    private Uni<List<Long>> dirtyBuckets(RollupTier tier, long doneUntil) {
        return pool.preparedQuery("SELECT bucket FROM rollup_dirty WHERE tier = $1 AND bucket < $2 ORDER BY bucket")
                .execute(Tuple.of(tier.label(), doneUntil)).map(rows -> {
                    List<Long> buckets = new ArrayList<>();
                    rows.forEach(r -> buckets.add(r.getLong(0)));
                    return buckets;
                });
    }

    /**
     * Computes [fromMs, toMs) of a tier in one transaction. A recomputation replaces the rows and marks the coarser
     * bucket dirty; a new slice advances the tier's progress. Rows are upserted, so computing a span twice is harmless.
     */
    private Uni<Long> slice(RollupTier tier, long fromMs, long toMs, boolean recompute) {
        return pool.withTransaction(conn -> conn.query("SELECT pg_try_advisory_xact_lock(" + LEASE_KEY + ")").execute()
                .chain(lock -> {
                    if (!lock.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(-1L);
                    }
                    Uni<Void> prepare = ensurePartitions(conn, tier, fromMs, toMs);
                    if (recompute) {
                        // late samples only add to a bucket: its recomputed rows replace the old ones (upsert)
                        prepare = prepare.chain(() -> conn.preparedQuery("DELETE FROM rollup_dirty WHERE tier = $1 AND bucket = $2")
                                .execute(Tuple.of(tier.label(), fromMs)).replaceWithVoid());
                    }
                    return prepare.chain(() -> compute(conn, tier, fromMs, toMs)).call(n -> recompute
                            ? markCoarserDirty(conn, tier, fromMs)
                            : conn.preparedQuery(PROGRESS).execute(Tuple.of(tier.label(), toMs)));
                }))
                .onFailure().invoke(knownPartitions::clear) // a rolled-back CREATE TABLE leaves no partition
                .invoke(n -> {
                    if (n >= 0) {
                        rowsWritten.get(tier).increment(n);
                        if (!recompute) {
                            progress.advanced(tier, toMs);
                        }
                    }
                });
    }

    private Uni<?> markCoarserDirty(SqlConnection conn, RollupTier tier, long bucket) {
        RollupTier coarser = tier.coarser();
        if (coarser == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("INSERT INTO rollup_dirty (tier, bucket) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(coarser.label(), coarser.bucketOf(bucket)));
    }

    /** Streams the source in (metric, series, time) order and writes the tier's rows in that order: a metric's rows sit together. */
    private Uni<Long> compute(SqlConnection conn, RollupTier tier, long fromMs, long toMs) {
        RollupFolder folder = new RollupFolder(tier, fromMs, toMs);
        String sql;
        Tuple params;
        if (tier.source() == null) {
            // head rows and the chunks of compacted blocks, chunk first per series; merged and sorted per series
            sql = "SELECT x.series_id, x.ts, x.value, NULL::bytea AS data, s.tenant, s.name FROM samples x"
                    + " JOIN series s ON s.id = x.series_id WHERE x.ts >= $1 AND x.ts < $2"
                    + " UNION ALL SELECT c.series_id, NULL, NULL, c.data, s.tenant, s.name FROM chunks c"
                    + " JOIN series s ON s.id = c.series_id WHERE c.block_start > $1 - " + ChunkCompactor.BLOCK_MS
                    + " AND c.block_start < $2 ORDER BY 5, 6, 1, 2 NULLS FIRST";
            params = Tuple.of(fromMs - RollupFolder.COUNTER_LOOKBACK_MS, toMs);
        } else {
            sql = "SELECT r.series_id, r.bucket, r.count, r.sum, r.min, r.max, r.last, r.increase, r.sketch FROM "
                    + tier.source().table() + " r JOIN series s ON s.id = r.series_id"
                    + " WHERE r.bucket >= $1 AND r.bucket < $2 ORDER BY s.tenant, s.name, r.series_id, r.bucket";
            params = Tuple.of(fromMs, toMs);
        }
        String insert = RollupRows.insertSql(tier);
        AtomicLong written = new AtomicLong();
        return conn.prepare(sql).onItem().transformToMulti(ps -> ps.createStream(FETCH_ROWS, params).toMulti())
                .group().intoLists().of(FETCH_ROWS)
                .onItem().transformToUniAndConcatenate(rows -> {
                    for (Row row : rows) {
                        if (tier.source() == null) {
                            io.vertx.mutiny.core.buffer.Buffer chunk = row.getBuffer(3);
                            if (chunk != null) {
                                folder.addChunk(row.getLong(0), chunk.getBytes());
                            } else {
                                folder.addSample(row.getLong(0), row.getLong(1), row.getDouble(2));
                            }
                        } else {
                            folder.addRollup(row.getLong(0), row.getLong(1), row.getLong(2), row.getDouble(3),
                                    row.getDouble(4), row.getDouble(5), row.getDouble(6), row.getDouble(7),
                                    DDSketch.fromBytes(row.getBuffer(8).getBytes()));
                        }
                    }
                    return folder.rows().size() >= INSERT_ROWS ? insert(conn, insert, folder.rows(), written)
                            : Uni.createFrom().voidItem();
                })
                .collect().last()
                .chain(() -> {
                    folder.finish();
                    return insert(conn, insert, folder.rows(), written);
                })
                .map(v -> written.get());
    }

    private static Uni<Void> insert(SqlConnection conn, String sql, RollupRows rows, AtomicLong written) {
        if (rows.size() == 0) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = rows.params();
        int n = rows.size();
        rows.clear();
        return conn.preparedQuery(sql).execute(params).invoke(() -> written.addAndGet(n)).replaceWithVoid();
    }

    private Uni<Void> ensurePartitions(SqlConnection conn, RollupTier tier, long fromMs, long toMs) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (long p = Math.floorDiv(fromMs, tier.partitionMs()); p <= Math.floorDiv(toMs - 1, tier.partitionMs()); p++) {
            long start = p * tier.partitionMs();
            String name = tier.table() + "_" + LocalDate.ofEpochDay(Math.floorDiv(start, 86_400_000L)).format(SUFFIX);
            if (knownPartitions.contains(name)) {
                continue;
            }
            String ddl = "CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + tier.table() + " FOR VALUES FROM ("
                    + start + ") TO (" + (start + tier.partitionMs()) + ")";
            chain = chain.chain(() -> conn.query(ddl).execute().invoke(() -> knownPartitions.add(name)).replaceWithVoid());
        }
        return chain;
    }

    /** Forgets the partitions this instance created (after retention dropped some). */
    void forgetPartitions() {
        knownPartitions.clear();
    }
}
