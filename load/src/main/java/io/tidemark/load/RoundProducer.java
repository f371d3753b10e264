package io.tidemark.load;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Builds rounds in order on its own thread and feeds them to the {@link BatchSource}. Building ahead
 * until the source is full (or, when paced, until the next round is due) keeps message generation
 * out of the measured time as far as memory allows.
 */
final class RoundProducer implements Runnable {

    private final BatchFactory factory;
    private final BatchSource source;
    private final int rounds;
    private final long intervalNanos;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch clockStarted = new CountDownLatch(1);
    private volatile long clockStartNanos;
    private volatile long generationNanos;
    private volatile int roundsBuilt;
    private volatile int roundsBuiltBeforeClock;

    RoundProducer(BatchFactory factory, BatchSource source, int rounds, Duration interval) {
        this.factory = factory;
        this.source = source;
        this.rounds = rounds;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void run() {
        try {
            for (int round = 0; round < rounds && !source.isAborted(); round++) {
                long t0 = System.nanoTime();
                List<OutgoingBatch> batches = factory.buildRound(round);
                generationNanos += System.nanoTime() - t0;
                roundsBuilt++;
                if (intervalNanos > 0 && !awaitDue(round)) {
                    return;
                }
                for (OutgoingBatch batch : batches) {
                    if (!source.tryAdd(batch)) {
                        signalReady();
                        if (!source.add(batch)) {
                            return;
                        }
                    }
                }
                source.announce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            source.abort("batch generation interrupted");
        } catch (RuntimeException | OutOfMemoryError e) {
            source.abort("batch generation failed: " + e);
        } finally {
            signalReady();
            source.finish();
        }
    }

    /** Waits until the producer can go no further before the clock starts. */
    void awaitReady() throws InterruptedException {
        ready.await();
    }

    void startClock(long nanos) {
        clockStartNanos = nanos;
        clockStarted.countDown();
    }

    long generationMillis() {
        return TimeUnit.NANOSECONDS.toMillis(generationNanos);
    }

    int roundsBuiltBeforeClock() {
        return roundsBuiltBeforeClock;
    }

    private void signalReady() {
        if (ready.getCount() > 0) {
            roundsBuiltBeforeClock = roundsBuilt;
            ready.countDown();
        }
    }

    /** Sleeps until round {@code round} is due; false if the run was aborted meanwhile. */
    private boolean awaitDue(int round) throws InterruptedException {
        signalReady();
        clockStarted.await();
        long due = clockStartNanos + round * intervalNanos;
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            if (source.isAborted()) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        return !source.isAborted();
    }
}
