package io.tidemark.storage;

import static io.tidemark.testing.GrpcTestClient.batch;
import static io.tidemark.testing.GrpcTestClient.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class PartitionMaintainerTest {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    @Test
    void dailyPartitionsCoverTheRetentionWindowAndTheDaysAhead() {
        long today = Math.floorDiv(System.currentTimeMillis(), DAY_MS);
        for (long day = today - 15; day <= today + 2; day++) {
            assertEquals(1, Db.count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'samples'::regclass"
                    + " AND inhrelid::regclass::text = ?", PartitionMaintainer.partitionName(day)), "partition of day " + day);
        }
    }

    @Test
    void aMissingPartitionIsCreatedByTheWriteThatNeedsIt() throws Exception {
        long yesterday = Math.floorDiv(System.currentTimeMillis(), DAY_MS) - 1;
        String partition = PartitionMaintainer.partitionName(yesterday);
        // An operator (or a retention job) dropped it while the service runs.
        Db.execute("DROP TABLE " + partition);
        long ts = yesterday * DAY_MS + 3_600_000;
        try (GrpcTestClient client = new GrpcTestClient()) {
            assertEquals(1, client.blocking(null).write(WriteRequest.newBuilder()
                    .setBatch(batch(series("late_partition", Map.of("k", "v"), ts, 1))).build()).getAccepted());
        }
        assertEquals(1, Db.count("SELECT count(*) FROM " + partition));
    }
}
