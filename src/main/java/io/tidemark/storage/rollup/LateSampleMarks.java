package io.tidemark.storage.rollup;

import io.smallrye.mutiny.Uni;
import io.tidemark.storage.SampleBatch;
import io.tidemark.storage.StorageUnavailableException;
import io.tidemark.storage.chunk.ChunkCompactor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.Arrays;

/**
 * After a batch committed: the minutes and 2-hour blocks of its late samples (older than
 * {@code tidemark.rollup.settle} at commit time, so possibly rolled up or compacted already) are marked for
 * recomputation. A failure fails the write, whose retry is
 * idempotent and marks again.
 */
@Singleton
public class LateSampleMarks {

    private static final String MARK = "INSERT INTO rollup_dirty (tier, bucket) SELECT * FROM unnest($1::text[], $2::int8[])"
            + " ON CONFLICT DO NOTHING";

    private final Pool pool;
    private final RollupConfig config;

    public LateSampleMarks(Pool pool, RollupConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public Uni<Void> afterCommit(SampleBatch batch, long commitMs) {
        long[] minutes = batch.bucketsWithSamplesBefore(commitMs - config.settle().toMillis(),
                RollupTier.MINUTE.resolutionMs());
        if (minutes.length == 0) {
            return Uni.createFrom().voidItem();
        }
        // each late minute, and each 2-hour block (a compacted block merges its late rows on the next pass)
        long[] blocks = Arrays.stream(minutes).map(ChunkCompactor::blockOf).distinct().toArray();
        String[] tiers = new String[minutes.length + blocks.length];
        Long[] buckets = new Long[tiers.length];
        for (int i = 0; i < minutes.length; i++) {
            tiers[i] = RollupTier.MINUTE.label();
            buckets[i] = minutes[i];
        }
        for (int i = 0; i < blocks.length; i++) {
            tiers[minutes.length + i] = ChunkCompactor.PROGRESS_KEY;
            buckets[minutes.length + i] = blocks[i];
        }
        return pool.preparedQuery(MARK).execute(Tuple.of(tiers, buckets)).replaceWithVoid()
                .onFailure().transform(f -> new StorageUnavailableException(
                        "samples committed, but their rollup minutes could not be marked for recomputation: "
                                + f.getMessage() + "; retry the batch", f));
    }
}
