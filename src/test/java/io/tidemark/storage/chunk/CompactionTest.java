package io.tidemark.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.LabelMatcher;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.SeriesPoints;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.storage.rollup.RollupJob;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compaction of head rows into chunks, seen from outside: the same answers before and after, every sample exactly
 * once for queries running during compaction, the head rows gone, and a late sample merged into its chunk.
 */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class CompactionTest {

    private static final String TENANT = "compaction-test";
    private static final long BLOCK = ChunkCompactor.BLOCK_MS;
    /** Three whole blocks, ending 10 hours ago. */
    private static final long START = ChunkCompactor.blockOf(System.currentTimeMillis()) - 8 * BLOCK;
    private static final long END = START + 3 * BLOCK;
    private static final int PER_SERIES = (int) ((END - START) / 10_000);

    @Inject
    ChunkCompactor compactor;

    private static GrpcTestClient client;
    private static QueryServiceGrpc.QueryServiceBlockingStub query;

    @BeforeAll
    static void load() {
        client = new GrpcTestClient();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), TENANT);
        query = QueryServiceGrpc.newBlockingStub(client.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        java.util.Random random = new java.util.Random(7);
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        for (String host : List.of("a", "b")) {
            TimeSeries.Builder gauge = TimeSeries.newBuilder().setName("k_gauge").putLabels("host", host);
            TimeSeries.Builder counter = TimeSeries.newBuilder().setName("k_requests").putLabels("host", host);
            double total = 0;
            for (int k = 0; k < PER_SERIES; k++) {
                long ts = START + k * 10_000L + random.nextInt(50); // irregular by a few ms
                double v = k % 97 == 0 ? Double.NaN : Math.round(random.nextGaussian() * 10_000) / 100.0;
                gauge.addSamples(Sample.newBuilder().setTimestampMs(ts).setValue(v));
                total = k % 500 == 499 ? 0 : total + random.nextInt(10);
                counter.addSamples(Sample.newBuilder().setTimestampMs(ts).setValue(total));
            }
            batch.addSeries(gauge).addSeries(counter);
        }
        client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(batch).build());
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    /** Not cached (a limit is set) and a step no rollup tier divides: raw samples answer. */
    private static List<SeriesPoints> range(String metric, Aggregation.Function f, double q) {
        List<SeriesPoints> all = new ArrayList<>();
        query.range(RangeRequest.newBuilder()
                .setSelector(io.tidemark.proto.v1.Selector.newBuilder().setMetric(metric))
                .setStartMs(START).setEndMs(END - 1).setStepMs(150_000).setLimit(100)
                .setOverTime(Aggregation.newBuilder().setFunction(f).setQuantile(q)).build())
                .forEachRemaining(r -> all.addAll(r.getSeriesList()));
        return all;
    }

    private static List<double[]> answers() {
        List<double[]> all = new ArrayList<>();
        for (Aggregation.Function f : List.of(Aggregation.Function.FUNCTION_AVG, Aggregation.Function.FUNCTION_SUM,
                Aggregation.Function.FUNCTION_MIN, Aggregation.Function.FUNCTION_MAX, Aggregation.Function.FUNCTION_COUNT,
                Aggregation.Function.FUNCTION_LAST, Aggregation.Function.FUNCTION_QUANTILE)) {
            range("k_gauge", f, 0.9).forEach(s -> all.add(s.getPointsList().stream().mapToDouble(Sample::getValue).toArray()));
        }
        for (Aggregation.Function f : List.of(Aggregation.Function.FUNCTION_INCREASE, Aggregation.Function.FUNCTION_RATE)) {
            range("k_requests", f, 0).forEach(s -> all.add(s.getPointsList().stream().mapToDouble(Sample::getValue).toArray()));
        }
        return all;
    }

    private static long totalCount() {
        return range("k_gauge", Aggregation.Function.FUNCTION_COUNT, 0).stream()
                .mapToLong(s -> s.getPointsList().stream().mapToLong(p -> (long) p.getValue()).sum()).sum();
    }

    @Test
    void compactionChangesNoAnswerAndQueriesSeeEverySampleExactlyOnce() throws Exception {
        List<double[]> before = answers();
        assertEquals(2L * PER_SERIES, totalCount());

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger queries = new AtomicInteger();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (running.get()) {
                long seen = totalCount();
                queries.incrementAndGet();
                if (seen != 2L * PER_SERIES) {
                    wrong.compareAndSet(null, "a query during compaction counted " + seen);
                }
            }
        });
        reader.start();
        long encoded = compactor.compactUntil(END, RollupJob.LEASE_KEY).await().atMost(Duration.ofMinutes(2));
        running.set(false);
        reader.join();
        assertEquals(null, wrong.get(), "after " + queries.get() + " concurrent queries");
        assertTrue(encoded >= 4L * PER_SERIES, "encoded " + encoded);

        assertEquals(0, Db.count("SELECT count(*) FROM samples x JOIN series s ON s.id = x.series_id WHERE s.tenant = ?",
                TENANT), "the head rows are gone");
        assertEquals(4 * 3, Db.count("SELECT count(*) FROM chunks c JOIN series s ON s.id = c.series_id WHERE s.tenant = ?",
                TENANT), "one chunk per series and block");
        assertEquals(4L * PER_SERIES, Db.count("SELECT sum(count) FROM chunks c JOIN series s ON s.id = c.series_id"
                + " WHERE s.tenant = ?", TENANT));
        List<double[]> after = answers();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "answer " + i + " changed by compaction");
        }

        // a late sample into a compacted block: answered at once (head row), then merged into its chunk
        long late = START + BLOCK + 5_005;
        client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(MetricBatch.newBuilder().addSeries(
                GrpcTestClient.series("k_gauge", Map.of("host", "a"), late, 1e9))).build());
        assertEquals(2L * PER_SERIES + 1, totalCount());
        compactor.compactUntil(END, RollupJob.LEASE_KEY).await().atMost(Duration.ofMinutes(2));
        assertEquals(0, Db.count("SELECT count(*) FROM samples x JOIN series s ON s.id = x.series_id WHERE s.tenant = ?",
                TENANT), "the late row was merged");
        assertEquals(4L * PER_SERIES + 1, Db.count("SELECT sum(count) FROM chunks c JOIN series s ON s.id = c.series_id"
                + " WHERE s.tenant = ?", TENANT));
        assertEquals(2L * PER_SERIES + 1, totalCount());
        double max = range("k_gauge", Aggregation.Function.FUNCTION_MAX, 0).stream()
                .filter(s -> s.getLabelsMap().get("host").equals("a"))
                .flatMap(s -> s.getPointsList().stream()).mapToDouble(Sample::getValue).max().orElseThrow();
        assertTrue(Double.isNaN(max) || max == 1e9, "the late value is in the answers: " + max);
    }
}
