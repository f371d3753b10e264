package io.tidemark.agent.ship;

import io.tidemark.agent.Point;
import io.tidemark.agent.self.AgentStats;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Groups collected points into series (one TimeSeries per name and label set, several samples when a collector runs
 * more often than the flush) and writes a batch to the disk buffer whenever {@code batchSize} samples are pending
 * and at every flush. The host labels are added to every series that does not carry the label itself.
 */
public final class Batcher {

    private static final Logger LOG = Logger.getLogger(Batcher.class.getName());

    private record Key(String name, Map<String, String> labels) {
    }

    private final DiskBuffer buffer;
    private final Shipper shipper;
    private final AgentStats stats;
    private final int batchSize;
    private final Map<String, String> globalLabels;
    private final Map<Key, TimeSeries.Builder> pending = new LinkedHashMap<>();
    private int pendingSamples;

    public Batcher(DiskBuffer buffer, Shipper shipper, AgentStats stats, int batchSize, Map<String, String> globalLabels) {
        this.buffer = buffer;
        this.shipper = shipper;
        this.stats = stats;
        this.batchSize = batchSize;
        this.globalLabels = Map.copyOf(globalLabels);
    }

    public synchronized void add(List<Point> points) {
        for (Point p : points) {
            Map<String, String> labels;
            if (globalLabels.isEmpty()) {
                labels = p.labels();
            } else {
                labels = new TreeMap<>(globalLabels);
                labels.putAll(p.labels());
            }
            TimeSeries.Builder series = pending.computeIfAbsent(new Key(p.name(), labels),
                    k -> TimeSeries.newBuilder().setName(p.name()).putAllLabels(labels).setType(p.type()));
            series.addSamples(Sample.newBuilder().setTimestampMs(p.timestampMs()).setValue(p.value()));
            if (++pendingSamples >= batchSize) {
                flush();
            }
        }
    }

    /** Writes what is pending as one batch (if anything is). */
    public synchronized void flush() {
        if (pendingSamples == 0) {
            return;
        }
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        for (TimeSeries.Builder series : pending.values()) {
            batch.addSeries(series);
        }
        int samples = pendingSamples;
        pending.clear();
        pendingSamples = 0;
        try {
            DiskBuffer.Eviction eviction = buffer.append(batch.build().toByteArray(), samples);
            if (eviction.batches() > 0) {
                stats.batchesDropped.add(eviction.batches());
                stats.samplesDropped.add(eviction.samples());
                LOG.warning("buffer full: dropped the " + eviction.batches() + " oldest batches (" + eviction.samples()
                        + " samples); " + stats.samplesDropped.get() + " samples dropped since start");
            }
        } catch (IOException e) {
            stats.batchesDropped.increment();
            stats.samplesDropped.add(samples);
            LOG.warning("cannot write a batch to the buffer in " + buffer.directory() + ", " + samples
                    + " samples lost: " + e.getMessage());
        }
        if (shipper != null) {
            shipper.signal();
        }
    }
}
