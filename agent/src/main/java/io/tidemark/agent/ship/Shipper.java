package io.tidemark.agent.ship;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tidemark.agent.config.AgentConfig;
import io.tidemark.agent.self.AgentStats;
import io.tidemark.proto.v1.IngestServiceGrpc;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.PushAck;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.proto.v1.Rejection;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends the disk buffer's batches over one IngestService/Push stream at a time and deletes each batch once its
 * PushAck arrived (an ack means committed). At most {@code window} batches are in flight, and only while gRPC says
 * the stream is ready. When the stream fails, or an ack does not come within {@code ack_timeout}, every unacknowledged
 * batch is sent again on a new stream after an exponential backoff with jitter; ingest is idempotent, so a batch the
 * service had already committed is not stored twice. After a failure the other endpoint (primary / backup) is tried;
 * after {@code primary_retry} on the backup, the agent goes back to the primary.
 */
public final class Shipper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Shipper.class.getName());
    private static final Pattern BATCH_ERROR = Pattern.compile("^batch (\\d+): .*", Pattern.DOTALL);

    private final DiskBuffer buffer;
    private final Endpoints endpoints;
    private final AgentStats stats;
    private final Backoff backoff;
    private final int window;
    private final long ackTimeoutNanos;
    private final long primaryRetryNanos;
    private final long resetAfterNanos;
    private final Object lock = new Object();
    private final Thread thread;
    private volatile boolean closed;
    private volatile int consecutiveFailures;
    private long onBackupSince;
    private String lastFailure = "";

    public Shipper(DiskBuffer buffer, Endpoints endpoints, AgentConfig.Shipping config, AgentStats stats) {
        this.buffer = buffer;
        this.endpoints = endpoints;
        this.stats = stats;
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
        this.window = config.window();
        this.ackTimeoutNanos = config.ackTimeout().toNanos();
        this.primaryRetryNanos = config.primaryRetry().toNanos();
        this.resetAfterNanos = config.backoffMax().toNanos();
        this.thread = new Thread(this::run, "shipper");
        this.thread.setDaemon(true);
    }

    public Shipper start() {
        thread.start();
        return this;
    }

    /** New data in the buffer. */
    public void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            long started = System.nanoTime();
            AgentConfig.Endpoint endpoint = endpoints.current();
            String failure;
            try {
                failure = new Stream().run();
            } catch (RuntimeException e) {
                failure = e.toString();
            }
            buffer.clearInFlight();
            if (closed) {
                return;
            }
            if (failure == null) { // a planned end: back to the primary
                LOG.info("returning to the primary endpoint " + endpoints.current());
                endpoints.useBackup(false);
                continue;
            }
            if (System.nanoTime() - started > resetAfterNanos) {
                consecutiveFailures = 0; // the stream worked for a while: start the backoff over
            }
            int failures = ++consecutiveFailures;
            stats.sendFailures.increment();
            if (!failure.equals(lastFailure)) {
                LOG.warning("stream to " + endpoint + " failed: " + failure + " (" + buffer.batches()
                        + " batches buffered)");
                lastFailure = failure;
            }
            if (endpoints.hasBackup()) {
                endpoints.useBackup(!endpoints.onBackup());
                stats.failovers.increment();
                onBackupSince = System.nanoTime();
                LOG.info("switching to the " + (endpoints.onBackup() ? "backup" : "primary") + " endpoint "
                        + endpoints.current());
            }
            sleep(backoff.delayMs(failures));
        }
    }

    private void sleep(long ms) {
        long deadline = System.currentTimeMillis() + ms;
        synchronized (lock) {
            long left;
            while (!closed && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The channel heartbeats use: the endpoint batches go to. */
    public Endpoints endpoints() {
        return endpoints;
    }

    /** One Push stream, from open to failure (or to a planned end, which returns null). */
    private final class Stream implements ClientResponseObserver<PushRequest, PushResponse> {
        private final Map<Long, Long> inFlight = new HashMap<>();
        private ClientCallStreamObserver<PushRequest> requests;
        private boolean ended;
        private String error;
        private long poisonSequence = -1;

        String run() {
            IngestServiceGrpc.newStub(endpoints.currentChannel()).withInterceptors(endpoints.headers()).push(this);
            try {
                while (true) {
                    List<DiskBuffer.Entry> toSend;
                    synchronized (lock) {
                        while (true) {
                            if (closed) {
                                requests.cancel("agent stopping", null);
                                return "agent stopping";
                            }
                            if (ended) {
                                return error;
                            }
                            long now = System.nanoTime();
                            for (long sentAt : inFlight.values()) {
                                if (now - sentAt > ackTimeoutNanos) {
                                    requests.cancel("no acknowledgement in time", null);
                                    return "no acknowledgement within " + ackTimeoutNanos / 1_000_000 + " ms";
                                }
                            }
                            if (endpoints.onBackup() && inFlight.isEmpty() && now - onBackupSince > primaryRetryNanos) {
                                requests.cancel("returning to the primary endpoint", null);
                                return null;
                            }
                            if (requests.isReady() && inFlight.size() < window && buffer.hasSendable()) {
                                toSend = buffer.sendable(window - inFlight.size());
                                if (!toSend.isEmpty()) {
                                    break;
                                }
                            }
                            lock.wait(200);
                        }
                    }
                    for (DiskBuffer.Entry entry : toSend) {
                        send(entry);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requests.cancel("interrupted", null);
                return "interrupted";
            } finally {
                if (poisonSequence >= 0) {
                    dropRefused(poisonSequence);
                }
            }
        }

        private void send(DiskBuffer.Entry entry) {
            MetricBatch batch;
            try {
                batch = MetricBatch.parseFrom(buffer.read(entry));
            } catch (InvalidProtocolBufferException e) {
                LOG.warning("buffered batch " + entry.file() + " is corrupt, dropping it: " + e.getMessage());
                dropRefused(entry.sequence());
                return;
            } catch (IOException e) {
                return; // evicted meanwhile
            }
            synchronized (lock) {
                buffer.markInFlight(entry.sequence());
                inFlight.put(entry.sequence(), System.nanoTime());
            }
            requests.onNext(PushRequest.newBuilder().setSequence(entry.sequence()).setBatch(batch).build());
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<PushRequest> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(Shipper.this::signal);
        }

        @Override
        public void onNext(PushResponse response) {
            PushAck ack = response.getAck();
            Long sentAt;
            synchronized (lock) {
                sentAt = inFlight.remove(ack.getSequence());
            }
            if (sentAt == null) {
                return;
            }
            try {
                buffer.remove(ack.getSequence());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete acknowledged batch " + ack.getSequence(), e);
            }
            stats.sendLatency((System.nanoTime() - sentAt) / 1e9);
            stats.batchesSent.increment();
            stats.samplesSent.add(ack.getAccepted());
            if (ack.getRejectedCount() > 0) {
                stats.samplesRejected.add(ack.getRejectedCount());
                Rejection first = ack.getRejected(0);
                LOG.fine("batch " + ack.getSequence() + ": " + ack.getRejectedCount() + " rejections, first "
                        + first.getField() + ": " + first.getReason());
            }
            consecutiveFailures = 0;
            signal();
        }

        @Override
        public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            synchronized (lock) {
                ended = true;
                error = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
                Matcher m = BATCH_ERROR.matcher(String.valueOf(status.getDescription()));
                if (status.getCode() == Status.Code.INVALID_ARGUMENT && m.matches()) {
                    poisonSequence = Long.parseLong(m.group(1)); // refused as a whole: resending cannot help
                }
                lock.notifyAll();
            }
        }

        @Override
        public void onCompleted() {
            synchronized (lock) {
                ended = true;
                error = "the service ended the stream";
                lock.notifyAll();
            }
        }
    }

    private void dropRefused(long sequence) {
        try {
            DiskBuffer.Entry entry = buffer.remove(sequence);
            if (entry != null) {
                stats.batchesDropped.increment();
                stats.samplesDropped.add(entry.samples());
                LOG.warning("batch " + sequence + " refused by the service as a whole, dropped (" + entry.samples()
                        + " samples)");
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete refused batch " + sequence, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        signal();
        thread.join(5_000);
    }
}
