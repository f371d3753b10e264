package io.tidemark.load;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The batches waiting to be sent, shared by all streams: a stream with room in its window takes the
 * next one, so a slow stream does not hold the others back. Bounded, so that pre-building stays
 * within the memory budget.
 */
final class BatchSource {

    private final LinkedBlockingQueue<OutgoingBatch> queue;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean finished;
    private volatile String abortReason;

    BatchSource(int capacity) {
        queue = new LinkedBlockingQueue<>(capacity);
    }

    /** {@code listener} runs whenever batches are added or the source ends; it must not block. */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Adds without waiting; false when full. */
    boolean tryAdd(OutgoingBatch batch) {
        return queue.offer(batch);
    }

    /** Waits for room; false if the run was aborted meanwhile. */
    boolean add(OutgoingBatch batch) throws InterruptedException {
        while (!isAborted()) {
            if (queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Tells the streams that batches were added. */
    void announce() {
        listeners.forEach(Runnable::run);
    }

    /** The next batch, or null if none is waiting (or the run was aborted). */
    OutgoingBatch poll() {
        return isAborted() ? null : queue.poll();
    }

    boolean hasWaiting() {
        return !queue.isEmpty() && !isAborted();
    }

    void finish() {
        finished = true;
        announce();
    }

    /** Stops handing out batches; the first reason wins. */
    void abort(String reason) {
        synchronized (this) {
            if (abortReason == null) {
                abortReason = reason;
            }
        }
        announce();
    }

    boolean isAborted() {
        return abortReason != null;
    }

    String abortReason() {
        return abortReason;
    }

    /** No batch will come any more. */
    boolean isExhausted() {
        return isAborted() || (finished && queue.isEmpty());
    }
}
