package io.tidemark.ingest;

import static io.tidemark.testing.GrpcTestClient.batch;
import static io.tidemark.testing.GrpcTestClient.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.PushAck;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.proto.v1.Rejection;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.proto.v1.WriteResponse;
import io.tidemark.storage.SeriesKey;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TestClock;
import io.tidemark.testing.TidemarkTestResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class IngestGrpcTest {

    private static GrpcTestClient client;

    @BeforeAll
    static void connect() {
        client = new GrpcTestClient();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        client.close();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static WriteResponse write(String tenant, MetricBatch batch) {
        return client.blocking(tenant).write(WriteRequest.newBuilder().setBatch(batch).build());
    }

    @Test
    void writeStoresEverySampleBeforeAnswering() {
        long t = now();
        TimeSeries s = TimeSeries.newBuilder().setName("cpu.usage.percent").putLabels("host", "web-1")
                .addSamples(Sample.newBuilder().setTimestampMs(t - 20_000).setValue(12.5))
                .addSamples(Sample.newBuilder().setTimestampMs(t - 10_000).setValue(Double.NaN))
                .addSamples(Sample.newBuilder().setTimestampMs(t).setValue(Double.POSITIVE_INFINITY)).build();
        WriteResponse response = write(null, batch(s));
        assertEquals(3, response.getAccepted());
        assertEquals(0, response.getRejectedCount());
        assertEquals(3, Db.samplesOf("default", "cpu.usage.percent"));
        assertEquals(1, Db.count("SELECT count(*) FROM samples WHERE value = 'NaN'::float8 AND series_id = ?",
                SeriesKey.of("default", "cpu.usage.percent", Map.of("host", "web-1")).id()));
        assertEquals(1, Db.count("SELECT count(*) FROM series WHERE tenant = 'default' AND name = 'cpu.usage.percent'"
                + " AND labels = '{\"host\":\"web-1\"}'::jsonb"));
    }

    @Test
    void nanPayloadBitsAreStoredExactly() {
        // Prometheus' staleness marker is a NaN with payload 0x7ff0000000000002, distinct from the usual NaN.
        long staleBits = 0x7ff0000000000002L;
        long t = now();
        write(null, batch(series("nan_bits", Map.of("k", "stale"), t, Double.longBitsToDouble(staleBits)),
                series("nan_bits", Map.of("k", "plain"), t, Double.NaN)));
        assertEquals(1, Db.count("SELECT count(*) FROM samples WHERE series_id = ? AND float8send(value) = ?",
                SeriesKey.of("default", "nan_bits", Map.of("k", "stale")).id(), longBytes(staleBits)));
        assertEquals(1, Db.count("SELECT count(*) FROM samples WHERE series_id = ? AND float8send(value) = ?",
                SeriesKey.of("default", "nan_bits", Map.of("k", "plain")).id(), longBytes(Double.doubleToRawLongBits(Double.NaN))));
    }

    private static byte[] longBytes(long bits) {
        return java.nio.ByteBuffer.allocate(8).putLong(bits).array();
    }

    @Test
    void badSamplesAreRejectedAndTheGoodOnesStored() {
        long t = now();
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i < 31; i++) {
            tooMany.put("l" + i, "v");
        }
        MetricBatch b = batch(
                series("partial_ok", Map.of("host", "a"), t, 1),
                series("bad-name", Map.of("host", "a"), t, 2),
                series("partial_ok", Map.of("host", "b"), t + 3_600_000, 3),
                series("partial_ok", tooMany, t, 4),
                series("partial_ok", Map.of("host", "c"), t, 5));
        WriteResponse response = write(null, b);
        assertEquals(2, response.getAccepted());
        assertEquals(3, response.getRejectedCount());
        Rejection name = response.getRejected(0);
        assertEquals(1, name.getSeriesIndex());
        assertEquals("series[1].name", name.getField());
        assertEquals("invalid_name", name.getCode());
        Rejection future = response.getRejected(1);
        assertEquals(2, future.getSeriesIndex());
        assertEquals(0, future.getSampleIndex());
        assertEquals("series[2].samples[0].timestamp_ms", future.getField());
        assertTrue(future.getReason().contains("in the future"), future.getReason());
        assertEquals("too_many_labels", response.getRejected(2).getCode());
        assertEquals(2, Db.samplesOf("default", "partial_ok"));
        assertEquals(0, Db.samplesOf("default", "bad-name"));
    }

    @Test
    void aRetriedBatchIsStoredOnce() {
        long t = now();
        MetricBatch b = batch(series("retried", Map.of("host", "a"), t, 1), series("retried", Map.of("host", "b"), t, 2));
        assertEquals(2, write(null, b).getAccepted());
        assertEquals(2, write(null, b).getAccepted());
        assertEquals(2, Db.samplesOf("default", "retried"));
        // first value wins: a different value at the same timestamp is not an overwrite
        write(null, batch(series("retried", Map.of("host", "a"), t, 99)));
        assertEquals(0, Db.count("SELECT count(*) FROM samples WHERE value = 99 AND series_id = ?",
                SeriesKey.of("default", "retried", Map.of("host", "a")).id()));
    }

    @Test
    void tenantsComeFromMetadataAndSeparateSeries() {
        long t = now();
        write("acme", batch(series("tenant_metric", Map.of("host", "a"), t, 1)));
        write(null, batch(series("tenant_metric", Map.of("host", "a"), t, 1)));
        assertEquals(1, Db.samplesOf("acme", "tenant_metric"));
        assertEquals(1, Db.samplesOf("default", "tenant_metric"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> write("bad tenant!", batch(series("x", Map.of(), t, 1))));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("x-tidemark-tenant"));
    }

    @Test
    void aBatchOverTheSampleLimitIsRefusedNamingTheLimit() {
        TimeSeries.Builder s = TimeSeries.newBuilder().setName("too_big");
        long t = now() - 3_600_000;
        for (int i = 0; i < 50_001; i++) {
            s.addSamples(Sample.newBuilder().setTimestampMs(t + i).setValue(i));
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> write(null, batch(s.build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("over the limit of 50000"), e.getStatus().getDescription());
        assertEquals(0, Db.samplesOf("default", "too_big"));
    }

    @Test
    void aBatchOverTheByteLimitIsRefusedByTheTransportNamingTheLimit() {
        TimeSeries s = TimeSeries.newBuilder().setName("too_many_bytes").setHelp("x".repeat(5 << 20))
                .addSamples(Sample.newBuilder().setTimestampMs(now()).setValue(1)).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> write(null, batch(s)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("4194304"), e.getStatus().getDescription());
        assertEquals(0, Db.samplesOf("default", "too_many_bytes"));
    }

    @Test
    void aLargeBatchSplitAcrossFlushesIsAcknowledgedWhole() {
        TimeSeries.Builder s = TimeSeries.newBuilder().setName("large_batch").putLabels("host", "a");
        long t = now() - 3_600_000;
        for (int i = 0; i < 45_000; i++) {
            s.addSamples(Sample.newBuilder().setTimestampMs(t + i).setValue(i));
        }
        assertEquals(45_000, write(null, batch(s.build())).getAccepted());
        assertEquals(45_000, Db.samplesOf("default", "large_batch"));
    }

    @Test
    void metadataIsKept() {
        TimeSeries s = TimeSeries.newBuilder().setName("http_requests_total").setType(io.tidemark.proto.v1.MetricType.METRIC_TYPE_COUNTER)
                .setUnit("requests").setHelp("Requests served").addSamples(Sample.newBuilder().setTimestampMs(now()).setValue(1))
                .build();
        write(null, batch(s));
        assertEquals(1, Db.count("SELECT count(*) FROM metric_metadata WHERE name = 'http_requests_total' AND type = 'counter'"
                + " AND unit = 'requests' AND help = 'Requests served'"));
    }

    @Test
    void aSeriesIdCollisionIsReportedNotMerged() {
        SeriesKey victim = SeriesKey.of("default", "collide_me", Map.of("host", "a"));
        // Simulate another series already holding this id with different labels.
        Db.execute("INSERT INTO series (id, tenant, name, labels) VALUES (?, 'default', 'collide_me', '{\"host\":\"zzz\"}')",
                victim.id());
        long t = now();
        WriteResponse response = write(null, batch(series("collide_ok", Map.of(), t, 1),
                series("collide_me", Map.of("host", "a"), t, 2)));
        assertEquals(1, response.getAccepted());
        assertEquals(1, response.getRejectedCount());
        assertEquals("series_id_collision", response.getRejected(0).getCode());
        assertEquals(1, response.getRejected(0).getSeriesIndex());
        assertEquals(0, Db.count("SELECT count(*) FROM samples WHERE series_id = ?", victim.id()));
        // now cached: refused again without storage being asked
        assertEquals("series_id_collision",
                write(null, batch(series("collide_me", Map.of("host", "a"), t + 1, 2))).getRejected(0).getCode());
    }

    @Test
    void pushAcknowledgesEveryBatchAfterCommit() throws Exception {
        long t = now() - 600_000;
        int batches = 40;
        PushResult result = push(null, batches, seq -> batch(series("pushed", Map.of("host", "h" + seq), t, seq),
                series("pushed", Map.of("host", "h" + seq), t + 1000, seq)));
        assertEquals(batches, result.acks.size());
        for (long seq = 0; seq < batches; seq++) {
            assertEquals(2, result.acks.get(seq).getAccepted(), "batch " + seq);
        }
        assertEquals(2L * batches, Db.samplesOf("default", "pushed"));
    }

    @Test
    void concurrentStreamsAllLand() throws Exception {
        long t = now() - 600_000;
        List<CompletableFuture<PushResult>> streams = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            int stream = s;
            streams.add(CompletableFuture.supplyAsync(() -> push(null, 20, seq -> {
                MetricBatch.Builder b = MetricBatch.newBuilder();
                for (int h = 0; h < 50; h++) {
                    b.addSeries(series("concurrent", Map.of("host", "s" + stream + "-" + h), t + seq * 1000, seq));
                }
                return b.build();
            })));
        }
        for (CompletableFuture<PushResult> f : streams) {
            assertEquals(20, f.get(60, TimeUnit.SECONDS).acks.size());
        }
        assertEquals(6L * 20 * 50, Db.samplesOf("default", "concurrent"));
        assertEquals(6L * 50, Db.count("SELECT count(*) FROM series WHERE name = 'concurrent'"));
    }

    @Test
    void pushReportsRejectionsPerBatch() {
        long t = now();
        PushResult result = push(null, 1, seq -> batch(series("push_partial", Map.of(), t, 1),
                series("push partial", Map.of(), t, 1)));
        PushAck ack = result.acks.get(0L);
        assertEquals(1, ack.getAccepted());
        assertEquals("series[1].name", ack.getRejected(0).getField());
    }

    record PushResult(Map<Long, PushAck> acks, Throwable error) {
    }

    interface BatchMaker {
        MetricBatch make(long sequence);
    }

    /** Sends {@code batches} batches on one stream as fast as flow control lets it, then half-closes. */
    static PushResult push(String tenant, int batches, BatchMaker maker) {
        Map<Long, PushAck> acks = new ConcurrentHashMap<>();
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        StreamObserver<PushRequest> requests = client.async(tenant).push(new StreamObserver<>() {
            @Override
            public void onNext(PushResponse value) {
                acks.put(value.getAck().getSequence(), value.getAck());
            }

            @Override
            public void onError(Throwable t) {
                done.complete(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        for (long seq = 0; seq < batches; seq++) {
            requests.onNext(PushRequest.newBuilder().setSequence(seq).setBatch(maker.make(seq)).build());
        }
        requests.onCompleted();
        Throwable error = done.join();
        if (error != null) {
            throw new AssertionError("stream failed", error);
        }
        return new PushResult(acks, null);
    }

    @Test
    void timeLimitsFollowTheServiceClockNotTheClients() {
        long realNow = System.currentTimeMillis();
        TestClock.INSTANCE.shift(7_200_000);
        try {
            // 90 minutes ahead of real time is 30 minutes before the service's now: accepted
            WriteResponse ahead = write("clock-tenant", batch(series("clock.metric", Map.of("h", "1"), realNow + 5_400_000, 1)));
            assertEquals(1, ahead.getAccepted(), ahead.toString());
        } finally {
            TestClock.INSTANCE.reset();
        }
        WriteResponse again = write("clock-tenant", batch(series("clock.metric", Map.of("h", "2"), realNow + 5_400_000, 1)));
        assertEquals(0, again.getAccepted());
        assertTrue(again.getRejected(0).getReason().contains("in the future"), again.toString());
    }
}
