package io.tidemark.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.agent.Point;
import io.tidemark.agent.self.AgentStats;
import io.tidemark.proto.v1.MetricBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk buffer on a real file system: survives reopening, stays bounded, drops the oldest first. */
class DiskBufferTest {

    @TempDir
    Path dir;

    @Test
    void batchesSurviveReopeningInOrder() throws Exception {
        DiskBuffer buffer = new DiskBuffer(dir, 100, 64L << 20);
        for (int i = 0; i < 3; i++) {
            buffer.append(("batch" + i).getBytes(), 10 + i);
        }
        buffer.remove(1);
        Files.writeString(dir.resolve("00000000000000000009-5.batch.tmp"), "half written");

        DiskBuffer reopened = new DiskBuffer(dir, 100, 64L << 20);
        assertEquals(2, reopened.batches());
        assertEquals(11 + 12, reopened.samples());
        List<DiskBuffer.Entry> sendable = reopened.sendable(10);
        assertEquals(List.of(2L, 3L), sendable.stream().map(DiskBuffer.Entry::sequence).toList());
        assertEquals("batch1", new String(reopened.read(sendable.get(0))));
        assertFalse(Files.exists(dir.resolve("00000000000000000009-5.batch.tmp")), "unfinished write removed");
        reopened.append("next".getBytes(), 1);
        assertEquals(4L, reopened.sendable(10).get(2).sequence(), "sequences continue after the highest on disk");
    }

    @Test
    void whenFullTheOldestBatchesNotInFlightAreDroppedAndCounted() throws Exception {
        DiskBuffer buffer = new DiskBuffer(dir, 3, 64L << 20);
        buffer.append(new byte[10], 100);
        buffer.append(new byte[10], 200);
        buffer.markInFlight(1);
        buffer.append(new byte[10], 300);
        DiskBuffer.Eviction eviction = buffer.append(new byte[10], 400);
        assertEquals(1, eviction.batches());
        assertEquals(200, eviction.samples(), "batch 2 went: batch 1 is in flight");
        assertEquals(List.of(3L, 4L), buffer.sendable(10).stream().map(DiskBuffer.Entry::sequence).toList());
        buffer.clearInFlight();
        assertEquals(List.of(1L, 3L, 4L), buffer.sendable(10).stream().map(DiskBuffer.Entry::sequence).toList());
        assertEquals(3, Files.list(dir).count());
    }

    @Test
    void theByteBoundAlsoEvicts() throws Exception {
        DiskBuffer buffer = new DiskBuffer(dir, 1000, 1 << 20);
        for (int i = 0; i < 5; i++) {
            buffer.append(new byte[300_000], 1);
        }
        assertTrue(buffer.bytes() <= 1 << 20, "bytes " + buffer.bytes());
        assertEquals(3, buffer.batches());
    }

    @Test
    void batcherWritesFullBatchesAndCountsEvictions() throws Exception {
        DiskBuffer buffer = new DiskBuffer(dir, 2, 64L << 20);
        AgentStats stats = new AgentStats();
        Batcher batcher = new Batcher(buffer, null, stats, 4, Map.of("host", "h1"));
        for (int t = 0; t < 3; t++) { // two series, three collections: 6 samples -> one batch of 4, 2 pending
            batcher.add(List.of(Point.gauge("a", Map.of(), t, t), Point.gauge("b", Map.of("host", "own"), t, t)));
        }
        assertEquals(1, buffer.batches());
        MetricBatch first = MetricBatch.parseFrom(buffer.read(buffer.sendable(1).get(0)));
        assertEquals(2, first.getSeriesCount());
        assertEquals(2, first.getSeries(0).getSamplesCount(), "samples of one series share a TimeSeries");
        assertEquals(Map.of("host", "h1"), first.getSeries(0).getLabelsMap());
        assertEquals(Map.of("host", "own"), first.getSeries(1).getLabelsMap(), "a point's own label wins");
        batcher.flush();
        batcher.add(List.of(Point.gauge("a", Map.of(), 9, 9)));
        batcher.flush();
        assertEquals(2, buffer.batches());
        assertEquals(1, stats.batchesDropped.get());
        assertEquals(4, stats.samplesDropped.get(), "the oldest batch (4 samples) was dropped");
    }
}
