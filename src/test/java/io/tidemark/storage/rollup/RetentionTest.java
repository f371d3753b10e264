package io.tidemark.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention against the real database: a raw partition goes once it is past its retention and rolled up, by a
 * DROP of that partition only; its rollups stay and still answer.
 */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class RetentionTest {

    private static final long DAY = 86_400_000L;

    @Inject
    RollupJob rollups;

    @Inject
    RetentionEnforcer retention;

    @Test
    void anExpiredRolledUpRawPartitionIsDroppedAndNothingElse() throws Exception {
        long now = System.currentTimeMillis();
        long oldDay = Math.floorDiv(now - 14 * DAY, DAY) + 1; // a whole day 13 days ago
        long sampleTs = oldDay * DAY + 12 * 3_600_000L;
        try (GrpcTestClient client = new GrpcTestClient()) {
            client.blocking("retention-test").write(WriteRequest.newBuilder().setBatch(MetricBatch.newBuilder()
                    .addSeries(GrpcTestClient.series("ret_metric", Map.of("host", "a"), sampleTs, 42))
                    .addSeries(GrpcTestClient.series("ret_metric", Map.of("host", "a"), now - 3_600_000, 43))).build());
        }
        String oldPartition = "samples_" + LocalDate.ofEpochDay(oldDay).format(DateTimeFormatter.BASIC_ISO_DATE);
        assertEquals(1, Db.count("SELECT count(*) FROM pg_class WHERE relname = ?", oldPartition));
        long partitionsBefore = Db.count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'samples'::regclass");

        // raw retention of 10 days, rollups kept for years; before the rollups exist nothing may go
        Map<RetentionPlan.Level, Long> policy = Map.of(RetentionPlan.Level.RAW, 10 * DAY, RetentionPlan.Level.CHUNKS, 10 * DAY,
                RetentionPlan.Level.MINUTE, 3650 * DAY, RetentionPlan.Level.HOUR, 3650 * DAY, RetentionPlan.Level.DAY, 3650 * DAY);
        Db.execute("DELETE FROM rollup_progress");
        assertEquals(List.of(), retention.enforce(now, policy).await().atMost(Duration.ofMinutes(1)));

        rollups.runOnce(now).await().atMost(Duration.ofMinutes(2));
        List<String> dropped = retention.enforce(now, policy).await().atMost(Duration.ofMinutes(1));
        assertTrue(dropped.contains(oldPartition), "dropped " + dropped);
        String cutoff = LocalDate.ofEpochDay(Math.floorDiv(now - 10 * DAY, DAY)).format(DateTimeFormatter.BASIC_ISO_DATE);
        assertTrue(dropped.stream().allMatch(name -> (name.startsWith("samples_") || name.startsWith("chunks_"))
                && name.substring(name.indexOf('_') + 1).compareTo(cutoff) < 0),
                "only raw partitions (rows or chunks) older than 10 days: " + dropped);
        assertEquals(partitionsBefore - dropped.stream().filter(name -> name.startsWith("samples_")).count(),
                Db.count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'samples'::regclass"));
        assertEquals(1, Db.samplesOf("retention-test", "ret_metric"), "the recent sample stays");
        assertEquals(1, Db.count("SELECT count(*) FROM rollups_1m r JOIN series s ON s.id = r.series_id"
                + " WHERE s.tenant = 'retention-test' AND r.bucket = ?", sampleTs - sampleTs % 60_000),
                "the dropped day's rollup stays");
    }
}
