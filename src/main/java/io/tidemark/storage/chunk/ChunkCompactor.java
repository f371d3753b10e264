package io.tidemark.storage.chunk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns closed 2-hour blocks of head rows into one compressed chunk per series, and deletes those rows, in one
 * REPEATABLE READ transaction: a query (one statement over head rows and chunks) sees a block either before or after,
 * never both or neither, and a late row committed meanwhile is not in the snapshot, so it is neither encoded nor
 * deleted; its block is marked dirty and merged into the chunk on a later pass.
 */
@Singleton
public class ChunkCompactor {

    /** Every chunk spans one block of this many milliseconds, aligned to the epoch. */
    public static final long BLOCK_MS = 7_200_000L;
    /** The key of the compactor's progress in rollup_progress and of its dirty blocks in rollup_dirty. */
    public static final String PROGRESS_KEY = "chunks";
    private static final long PARTITION_MS = 86_400_000L;
    private static final int FETCH_ROWS = 4096;
    private static final int INSERT_ROWS = 2048;
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String UPSERT = "INSERT INTO chunks (series_id, block_start, count, min_ts, max_ts, data)"
            + " SELECT * FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::int8[], $5::int8[], $6::bytea[])"
            + " ON CONFLICT (series_id, block_start) DO UPDATE SET count = EXCLUDED.count, min_ts = EXCLUDED.min_ts,"
            + " max_ts = EXCLUDED.max_ts, data = EXCLUDED.data";

    private final Pool pool;
    private final Counter samplesCompacted;
    private final Counter chunksWritten;
    private final Set<Long> knownPartitions = ConcurrentHashMap.newKeySet();

    public ChunkCompactor(Pool pool, MeterRegistry meters) {
        this.pool = pool;
        this.samplesCompacted = Counter.builder("tidemark.compaction.samples")
                .description("Head samples encoded into chunks").register(meters);
        this.chunksWritten = Counter.builder("tidemark.compaction.chunks")
                .description("Chunks written (merges of late samples included)").register(meters);
    }

    public static long blockOf(long ts) {
        return ts - Math.floorMod(ts, BLOCK_MS);
    }

    /**
     * Compacts every block ending at or before {@code horizonMs}, and merges late rows of blocks already compacted.
     * Returns the samples encoded, or -1 when another replica holds the lease ({@code leaseKey}).
     */
    public Uni<Long> compactUntil(long horizonMs, long leaseKey) {
        if (horizonMs == Long.MIN_VALUE) {
            return Uni.createFrom().item(0L); // nothing rolled up yet: nothing may be compacted
        }
        return pool.query("SELECT done_until FROM rollup_progress WHERE tier = '" + PROGRESS_KEY + "'").execute()
                .chain(rows -> {
                    long done = rows.size() == 0 ? Long.MIN_VALUE : rows.iterator().next().getLong(0);
                    return pool.preparedQuery("SELECT bucket FROM rollup_dirty WHERE tier = $1 AND bucket < $2 ORDER BY 1")
                            .execute(Tuple.of(PROGRESS_KEY, done == Long.MIN_VALUE ? Long.MIN_VALUE : done))
                            .chain(dirty -> {
                                List<long[]> blocks = new ArrayList<>();
                                dirty.forEach(r -> blocks.add(new long[] { r.getLong(0), 1 }));
                                long first = done == Long.MIN_VALUE ? firstHeadBlock(horizonMs) : done;
                                return firstBlockWithRows(first, horizonMs).chain(start -> {
                                    for (long b = start; b + BLOCK_MS <= horizonMs; b += BLOCK_MS) {
                                        blocks.add(new long[] { b, 0 });
                                    }
                                    long end = blockOf(horizonMs);
                                    return run(blocks, 0, 0, leaseKey, Math.max(end, start));
                                });
                            });
                });
    }

    private long firstHeadBlock(long horizonMs) {
        return blockOf(horizonMs) - 400L * 24 * BLOCK_MS; // bounded below; empty spans are skipped by probes
    }

    /** The first block at or after {@code fromMs} holding head rows (doubling probes), or the horizon's block. */
    private Uni<Long> firstBlockWithRows(long fromMs, long horizonMs) {
        return probe(fromMs, blockOf(horizonMs), BLOCK_MS);
    }

    private Uni<Long> probe(long fromMs, long endMs, long windowMs) {
        if (fromMs >= endMs) {
            return Uni.createFrom().item(endMs);
        }
        long to = Math.min(endMs, fromMs + windowMs);
        return pool.preparedQuery("SELECT 1 FROM samples WHERE ts >= $1 AND ts < $2 LIMIT 1").execute(Tuple.of(fromMs, to))
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(fromMs) : probe(to, endMs, windowMs * 2));
    }

    private Uni<Long> run(List<long[]> blocks, int index, long total, long leaseKey, long progressEnd) {
        if (index == blocks.size()) {
            return total < 0 ? Uni.createFrom().item(total) : saveProgress(progressEnd, leaseKey).replaceWith(total);
        }
        long[] block = blocks.get(index);
        return compactBlock(block[0], block[1] == 1, leaseKey)
                .chain(n -> n < 0 ? Uni.createFrom().item(-1L) : run(blocks, index + 1, total + n, leaseKey, progressEnd));
    }

    private Uni<Void> saveProgress(long doneUntil, long leaseKey) {
        return pool.withTransaction(conn -> conn.query("SELECT pg_try_advisory_xact_lock(" + leaseKey + ")").execute()
                .chain(lock -> !lock.iterator().next().getBoolean(0) ? Uni.createFrom().voidItem()
                        : conn.preparedQuery("INSERT INTO rollup_progress (tier, done_until) VALUES ($1, $2)"
                                + " ON CONFLICT (tier) DO UPDATE SET done_until = GREATEST(rollup_progress.done_until,"
                                + " EXCLUDED.done_until)").execute(Tuple.of(PROGRESS_KEY, doneUntil)).replaceWithVoid()));
    }

    /** One block in one REPEATABLE READ transaction; returns the samples encoded, or -1 without the lease. */
    Uni<Long> compactBlock(long blockStart, boolean dirty, long leaseKey) {
        long blockEnd = blockStart + BLOCK_MS;
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
                .chain(() -> conn.query("SELECT pg_try_advisory_xact_lock(" + leaseKey + ")").execute())
                .chain(lock -> {
                    if (!lock.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(-1L);
                    }
                    return conn.preparedQuery("SELECT 1 FROM samples WHERE ts >= $1 AND ts < $2 LIMIT 1")
                            .execute(Tuple.of(blockStart, blockEnd)).chain(any -> any.size() == 0 && !dirty
                                    ? Uni.createFrom().item(0L) // nothing in this block: no partition, no work
                                    : compactRows(conn, blockStart, blockEnd, dirty));
                }))
                .onFailure().invoke(knownPartitions::clear);
    }

    private Uni<Long> compactRows(SqlConnection conn, long blockStart, long blockEnd, boolean dirty) {
        Uni<Void> prepare = ensurePartition(conn, blockStart);
        if (dirty) {
            prepare = prepare.chain(() -> conn.preparedQuery("DELETE FROM rollup_dirty WHERE tier = $1 AND bucket = $2")
                    .execute(Tuple.of(PROGRESS_KEY, blockStart)).replaceWithVoid());
        }
        return prepare.chain(() -> encode(conn, blockStart, blockEnd))
                .call(n -> n == 0 ? Uni.createFrom().voidItem()
                        : conn.preparedQuery("DELETE FROM samples WHERE ts >= $1 AND ts < $2")
                                .execute(Tuple.of(blockStart, blockEnd)).replaceWithVoid());
    }

    /** Streams the block's head rows (and, for series that have some, their existing chunk) and upserts the chunks. */
    private Uni<Long> encode(SqlConnection conn, long blockStart, long blockEnd) {
        String sql = "SELECT x.series_id, x.ts, x.value, NULL::bytea AS data, s.tenant, s.name FROM samples x"
                + " JOIN series s ON s.id = x.series_id WHERE x.ts >= $1 AND x.ts < $2"
                + " UNION ALL SELECT c.series_id, NULL, NULL, c.data, s.tenant, s.name FROM chunks c"
                + " JOIN series s ON s.id = c.series_id WHERE c.block_start = $1"
                + " AND c.series_id IN (SELECT series_id FROM samples WHERE ts >= $1 AND ts < $2)"
                + " ORDER BY 5, 6, 1, 2 NULLS FIRST";
        ChunkBatch batch = new ChunkBatch(blockStart);
        AtomicLong encoded = new AtomicLong();
        return conn.prepare(sql).onItem().transformToMulti(ps -> ps.createStream(FETCH_ROWS, Tuple.of(blockStart, blockEnd))
                .toMulti())
                .group().intoLists().of(FETCH_ROWS)
                .onItem().transformToUniAndConcatenate(rows -> {
                    for (Row row : rows) {
                        batch.add(row, blockStart, blockEnd);
                    }
                    return batch.size() >= INSERT_ROWS ? write(conn, batch, encoded) : Uni.createFrom().voidItem();
                })
                .collect().last()
                .chain(() -> {
                    batch.finish();
                    return write(conn, batch, encoded);
                })
                .map(v -> encoded.get());
    }

    private Uni<Void> write(SqlConnection conn, ChunkBatch batch, AtomicLong encoded) {
        if (batch.size() == 0) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = batch.params();
        int chunks = batch.size();
        long samples = batch.samples();
        batch.clear();
        return conn.preparedQuery(UPSERT).execute(params).invoke(() -> {
            encoded.addAndGet(samples);
            samplesCompacted.increment(samples);
            chunksWritten.increment(chunks);
        }).replaceWithVoid();
    }

    private Uni<Void> ensurePartition(SqlConnection conn, long blockStart) {
        long day = Math.floorDiv(blockStart, PARTITION_MS);
        if (knownPartitions.contains(day)) {
            return Uni.createFrom().voidItem();
        }
        String ddl = "CREATE TABLE IF NOT EXISTS chunks_" + LocalDate.ofEpochDay(day).format(SUFFIX)
                + " PARTITION OF chunks FOR VALUES FROM (" + day * PARTITION_MS + ") TO (" + (day + 1) * PARTITION_MS + ")";
        return conn.query(ddl).execute().invoke(() -> knownPartitions.add(day)).replaceWithVoid();
    }

    /** Chunks being built for one block, column-wise; one series at a time is merged from its rows. */
    private static final class ChunkBatch {
        private final long blockStart;
        private final PointMerger merger = new PointMerger();
        private final List<Long> ids = new ArrayList<>();
        private final List<Integer> counts = new ArrayList<>();
        private final List<Long> minTs = new ArrayList<>();
        private final List<Long> maxTs = new ArrayList<>();
        private final List<io.vertx.core.buffer.Buffer> data = new ArrayList<>();
        private long samples;
        private long series;
        private boolean hasSeries;

        ChunkBatch(long blockStart) {
            this.blockStart = blockStart;
        }

        void add(Row row, long blockStart, long blockEnd) {
            long id = row.getLong(0);
            if (!hasSeries || id != series) {
                finish();
                series = id;
                hasSeries = true;
            }
            io.vertx.mutiny.core.buffer.Buffer chunk = row.getBuffer(3);
            if (chunk != null) {
                merger.addChunk(chunk.getBytes(), blockStart, blockEnd);
            } else {
                merger.add(row.getLong(1), row.getDouble(2));
            }
        }

        void finish() {
            if (hasSeries && merger.size() > 0) {
                merger.sortAndDedupe();
                ids.add(series);
                counts.add(merger.size());
                minTs.add(merger.timestamp(0));
                maxTs.add(merger.timestamp(merger.size() - 1));
                data.add(io.vertx.core.buffer.Buffer.buffer(
                        ChunkCodec.encode(merger.timestamps(), merger.values(), merger.size())));
                samples += merger.size();
            }
            merger.clear();
            hasSeries = false;
        }

        int size() {
            return ids.size();
        }

        long samples() {
            return samples;
        }

        Tuple params() {
            Long[] blocks = new Long[ids.size()];
            java.util.Arrays.fill(blocks, blockStart);
            return Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new)).addArrayOfLong(blocks)
                    .addArrayOfInteger(counts.toArray(Integer[]::new)).addArrayOfLong(minTs.toArray(Long[]::new))
                    .addArrayOfLong(maxTs.toArray(Long[]::new)).addValue(data.toArray(io.vertx.core.buffer.Buffer[]::new));
        }

        void clear() {
            ids.clear();
            counts.clear();
            minTs.clear();
            maxTs.clear();
            data.clear();
            samples = 0;
        }
    }
}
