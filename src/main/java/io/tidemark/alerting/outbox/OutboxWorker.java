package io.tidemark.alerting.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.AlertingConfig;
import io.tidemark.alerting.notify.ChannelSender;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox on every replica: claims due rows, sends each over its channel, marks it delivered, or
 * schedules the next attempt with exponential backoff (outbox-backoff doubled per attempt, capped at
 * outbox-backoff-max). A row decided before a crash is sent after the restart; a row whose sender died mid-send is
 * claimed again after {@code outbox-claim} (at least once). Uses the wall clock: retries are real time.
 */
@Singleton
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);
    private static final int BATCH = 32;

    private final OutboxStore store;
    private final ChannelSender sender;
    private final AlertingConfig config;
    private final MeterRegistry meters;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public OutboxWorker(OutboxStore store, ChannelSender sender, AlertingConfig config, MeterRegistry meters) {
        this.store = store;
        this.sender = sender;
        this.config = config;
        this.meters = meters;
    }

    @Scheduled(every = "${tidemark.alerting.outbox-poll:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return config.outboxEnabled() ? drain().replaceWithVoid() : Uni.createFrom().voidItem();
    }

    /** Called after new rows were committed: deliver now rather than at the next poll. */
    public void wake() {
        if (!config.outboxEnabled()) {
            return;
        }
        drain().subscribe().with(n -> {
        }, f -> LOG.debugf("outbox pass failed: %s", f.toString()));
    }

    /** Delivers due rows until none is left; returns how many were attempted. */
    public Uni<Integer> drain() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().item(0);
        }
        again.set(false);
        return pass(0).eventually(() -> running.set(false)).onFailure().invoke(f -> LOG.warnf(
                "outbox pass failed: %s", f.toString())).onFailure().recoverWithItem(0).chain(n -> {
                    if (again.getAndSet(false)) {
                        return drain().map(m -> n + m);
                    }
                    return Uni.createFrom().item(n);
                });
    }

    private Uni<Integer> pass(int total) {
        long now = System.currentTimeMillis();
        return store.claim(now, config.outboxClaim().toMillis(), BATCH, config.outboxMaxAttempts()).chain(rows -> rows.isEmpty()
                ? Uni.createFrom().item(total)
                : sendAll(rows, 0).chain(() -> pass(total + rows.size())));
    }

    private Uni<Void> sendAll(List<OutboxRow> rows, int index) {
        if (index == rows.size()) {
            return Uni.createFrom().voidItem();
        }
        OutboxRow row = rows.get(index);
        return sender.send(row.channel(), row.target(), row.payload())
                .chain(() -> {
                    meters.counter("tidemark_alerting_notifications", "channel", row.channel(), "outcome", "delivered")
                            .increment();
                    return store.delivered(row.id(), System.currentTimeMillis());
                })
                .onFailure().recoverWithUni(f -> {
                    meters.counter("tidemark_alerting_notifications", "channel", row.channel(), "outcome", "failed")
                            .increment();
                    long delay = backoffMs(row.attempts());
                    LOG.infof("notification %d to %s (%s) failed, attempt %d, next in %d ms: %s", row.id(),
                            row.receiver(), row.channel(), row.attempts() + 1, delay, f.getMessage());
                    return store.failed(row.id(), System.currentTimeMillis() + delay, String.valueOf(f.getMessage()));
                })
                .chain(() -> sendAll(rows, index + 1));
    }

    long backoffMs(int attempts) {
        long base = config.outboxBackoff().toMillis();
        long max = config.outboxBackoffMax().toMillis();
        return attempts >= 30 ? max : Math.min(max, base << attempts);
    }
}
