package io.tidemark.storage;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Group commit for samples: writes from every client queue here (bounded) and leave in flushes of up to
 * {@code flush-samples} samples, several in flight at once. A write completes only when every flush holding
 * one of its samples has committed; if any of them fails, the write fails and nothing of it is acknowledged.
 */
@Singleton
public class WriteBatcher {

    private static final Logger LOG = Logger.getLogger(WriteBatcher.class);

    private final SampleWriter writer;
    private final SeriesRegistry registry;
    private final Vertx vertx;
    private final int flushSamples;
    private final long lingerNanos;
    private final int concurrency;
    private final int maxQueuedSamples;
    private final Timer flushLatency;
    private final DistributionSummary flushSize;

    private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
    private int queuedSamples;
    private int inFlight;
    private boolean timerArmed;

    public WriteBatcher(SampleWriter writer, SeriesRegistry registry, Vertx vertx, StorageConfig config,
            MeterRegistry meters) {
        this.writer = writer;
        this.registry = registry;
        this.vertx = vertx;
        this.flushSamples = config.flushSamples();
        this.lingerNanos = config.flushLinger().toNanos();
        this.concurrency = config.flushConcurrency();
        this.maxQueuedSamples = config.maxQueuedSamples();
        this.flushLatency = Timer.builder("tidemark.ingest.flush.duration")
                .description("Time to commit one flush (all its statements)").publishPercentileHistogram()
                .register(meters);
        this.flushSize = DistributionSummary.builder("tidemark.ingest.flush.samples")
                .description("Samples per flush").publishPercentileHistogram().register(meters);
        Gauge.builder("tidemark.ingest.queue.samples", this, WriteBatcher::queuedSamples)
                .description("Samples waiting for a flush").register(meters);
        Gauge.builder("tidemark.ingest.flushes.in.flight", this, WriteBatcher::flushesInFlight)
                .description("Flushes sent to PostgreSQL and not yet committed").register(meters);
    }

    /** Completes with the outcome once every sample of the batch is committed. */
    public Uni<WriteOutcome> write(SampleBatch batch) {
        if (batch.size() == 0 && batch.metadata().isEmpty()) {
            return Uni.createFrom().item(new WriteOutcome(0, List.of()));
        }
        batch.forgetKnownKeys(registry);
        return Uni.createFrom().emitter(emitter -> enqueue(new PendingWrite(batch, emitter)));
    }

    private synchronized void enqueue(PendingWrite write) {
        int size = write.batch.size();
        if (queuedSamples > 0 && queuedSamples + size > maxQueuedSamples) {
            write.emitter.fail(new WriteQueueFullException("write queue holds " + queuedSamples
                    + " samples, at its limit of " + maxQueuedSamples + " (tidemark.storage.max-queued-samples); retry later"));
            return;
        }
        write.enqueuedAt = System.nanoTime();
        queue.addLast(write);
        queuedSamples += size;
        drain();
    }

    private synchronized void drain() {
        while (inFlight < concurrency && !queue.isEmpty()) {
            long waited = System.nanoTime() - queue.peekFirst().enqueuedAt;
            if (queuedSamples < flushSamples && waited < lingerNanos) {
                armTimer(lingerNanos - waited);
                return;
            }
            List<Slice> slices = takeSlices();
            inFlight++;
            execute(slices);
        }
    }

    private void armTimer(long nanos) {
        if (!timerArmed) {
            timerArmed = true;
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), id -> {
                synchronized (this) {
                    timerArmed = false;
                    drain();
                }
            });
        }
    }

    /** Cuts the next flush from the head of the queue; a large write is split over several flushes. */
    private List<Slice> takeSlices() {
        List<Slice> slices = new ArrayList<>();
        int taken = 0;
        while (!queue.isEmpty() && (taken < flushSamples || slices.isEmpty())) {
            PendingWrite write = queue.peekFirst();
            int take = Math.min(write.remaining(), flushSamples - taken);
            slices.add(new Slice(write, write.cursor, write.cursor + take, write.cursor == 0));
            write.cursor += take;
            write.partsInFlight++;
            taken += take;
            if (write.remaining() == 0) {
                queue.pollFirst();
            }
        }
        queuedSamples -= taken;
        return slices;
    }

    private void execute(List<Slice> slices) {
        Map<Long, SeriesKey> newSeries = new HashMap<>();
        Set<Long> cachedCollisions = new HashSet<>();
        Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
        int size = 0;
        for (Slice slice : slices) {
            size += slice.to - slice.from;
            SampleBatch batch = slice.write.batch;
            if (slice.first) {
                for (MetricMetadata m : batch.metadata()) {
                    if (!registry.isKnown(m)) {
                        metadata.put(m.tenant() + '\u0000' + m.name(), m);
                    }
                }
            }
            int previousSlot = -1;
            for (int i = slice.from; i < slice.to; i++) {
                int slot = batch.seriesOf(i);
                if (slot == previousSlot) {
                    continue; // samples of one series are adjacent: look each series up once
                }
                previousSlot = slot;
                SeriesKey key = batch.series(slot);
                if (key == null) {
                    continue; // known when it was queued
                }
                switch (registry.lookup(key)) {
                    case KNOWN -> {
                    }
                    case COLLISION -> cachedCollisions.add(key.id());
                    case UNKNOWN -> {
                        SeriesKey other = newSeries.putIfAbsent(key.id(), key);
                        if (other != null && !other.equals(key)) {
                            LOG.errorf("series id collision within one flush: %s and %s share id %d", other, key, key.id());
                            cachedCollisions.add(key.id());
                        }
                    }
                }
            }
        }
        long[] seriesIds = new long[size];
        int[] metricGroups = new int[size];
        long[] timestamps = new long[size];
        double[] values = new double[size];
        int n = 0;
        for (Slice slice : slices) {
            SampleBatch batch = slice.write.batch;
            for (int i = slice.from; i < slice.to; i++, n++) {
                int slot = batch.seriesOf(i);
                seriesIds[n] = batch.seriesId(slot);
                metricGroups[n] = FlushPlan.metricGroup(batch.metricName(slot));
                timestamps[n] = batch.timestamp(i);
                values[n] = batch.value(i);
            }
        }
        List<SeriesKey> sortedNew = new ArrayList<>(newSeries.values());
        sortedNew.sort(Comparator.comparingLong(SeriesKey::id));
        FlushPlan plan = new FlushPlan(sortedNew, new ArrayList<>(metadata.values()), seriesIds, metricGroups, timestamps,
                values, size);
        long started = System.nanoTime();
        int flushed = size;
        writer.write(plan).subscribe().with(result -> {
            flushLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            flushSize.record(flushed);
            Set<Long> collided = new HashSet<>(cachedCollisions);
            collided.addAll(result.collided());
            for (SeriesKey key : sortedNew) {
                if (!collided.contains(key.id())) {
                    registry.remember(key, result.created().contains(key.id()));
                }
            }
            plan.metadata().forEach(registry::remember);
            finish(slices, slice -> slice.write.committed(slice, collided));
        }, failure -> {
            LOG.warnf("flush of %d samples failed: %s", flushed, failure.getMessage());
            StorageUnavailableException error = new StorageUnavailableException(
                    "PostgreSQL did not commit the batch: " + failure.getMessage(), failure);
            finish(slices, slice -> failWrite(slice.write, error));
        });
    }

    /**
     * Settles the writes of a finished flush under the lock, then completes their emitters outside it
     * (completion runs the callers' continuations, e.g. sending a gRPC ack).
     */
    private void finish(List<Slice> slices, java.util.function.Function<Slice, Runnable> settle) {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            inFlight--;
            for (Slice slice : slices) {
                Runnable completion = settle.apply(slice);
                if (completion != null) {
                    completions.add(completion);
                }
            }
        }
        completions.forEach(Runnable::run);
        drain();
    }

    /** Called under the lock; the first failure of a write fails it and drops what of it is still queued. */
    private Runnable failWrite(PendingWrite write, StorageUnavailableException error) {
        if (write.failed) {
            return null;
        }
        write.failed = true;
        if (write.remaining() > 0 && queue.remove(write)) {
            queuedSamples -= write.remaining();
        }
        return () -> write.emitter.fail(error);
    }

    public synchronized int queuedSamples() {
        return queuedSamples;
    }

    synchronized int flushesInFlight() {
        return inFlight;
    }

    private record Slice(PendingWrite write, int from, int to, boolean first) {
    }

    /** One client batch on its way to PostgreSQL, possibly split across flushes. */
    private static final class PendingWrite {
        final SampleBatch batch;
        final UniEmitter<? super WriteOutcome> emitter;
        long enqueuedAt;
        int cursor;
        int partsInFlight;
        long stored;
        boolean failed;
        final Map<Integer, Integer> collidedSamplesBySlot = new HashMap<>();

        PendingWrite(SampleBatch batch, UniEmitter<? super WriteOutcome> emitter) {
            this.batch = batch;
            this.emitter = emitter;
        }

        int remaining() {
            return batch.size() - cursor;
        }

        /** Called under the batcher's lock; returns the completion to run once the last part committed. */
        Runnable committed(Slice slice, Set<Long> collided) {
            for (int i = slice.from; i < slice.to; i++) {
                int slot = batch.seriesOf(i);
                if (!collided.isEmpty() && collided.contains(batch.seriesId(slot))) {
                    collidedSamplesBySlot.merge(slot, 1, Integer::sum);
                } else {
                    stored++;
                }
            }
            partsInFlight--;
            if (failed || partsInFlight > 0 || remaining() > 0) {
                return null;
            }
            List<WriteOutcome.Collision> collisions = new ArrayList<>();
            for (Map.Entry<Integer, Integer> e : collidedSamplesBySlot.entrySet()) {
                collisions.add(new WriteOutcome.Collision(batch.sourceIndex(e.getKey()), batch.series(e.getKey()),
                        e.getValue()));
            }
            WriteOutcome outcome = new WriteOutcome(stored, collisions);
            return () -> emitter.complete(outcome);
        }
    }
}
