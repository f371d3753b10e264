package io.tidemark.storage.rollup;

import io.smallrye.mutiny.Uni;
import io.tidemark.storage.SampleBatch;
import io.tidemark.storage.StorageUnavailableException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.Arrays;

/**
 * After a batch committed: the minutes of its late samples (older than {@code tidemark.rollup.settle} at commit
 * time, so possibly rolled up already) are marked for recomputation. A failure fails the write, whose retry is
 * idempotent and marks again.
 */
@Singleton
public class LateSampleMarks {

    private static final String MARK = "INSERT INTO rollup_dirty (tier, bucket) SELECT $1, unnest($2::int8[])"
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
        Long[] buckets = Arrays.stream(minutes).boxed().toArray(Long[]::new);
        return pool.preparedQuery(MARK).execute(Tuple.of(RollupTier.MINUTE.label(), buckets)).replaceWithVoid()
                .onFailure().transform(f -> new StorageUnavailableException(
                        "samples committed, but their rollup minutes could not be marked for recomputation: "
                                + f.getMessage() + "; retry the batch", f));
    }
}
