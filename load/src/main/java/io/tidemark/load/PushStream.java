package io.tidemark.load;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.tidemark.proto.v1.PushAck;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.proto.v1.Rejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One IngestService.Push stream on its own channel, sending pre-encoded PushRequests (see
 * {@link EncodedPush}). Sends only while the transport is ready (gRPC flow control) and while fewer
 * than {@code window} batches are unacknowledged; half-closes once the source is exhausted and
 * every batch it sent is acknowledged.
 *
 * <p>All state is guarded by {@code this}: acks and onReady arrive on gRPC's executor, new batches
 * are announced from the producer thread.
 */
final class PushStream implements ClientResponseObserver<byte[], PushResponse> {

    static final Metadata.Key<String> TENANT_HEADER =
            Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER);
    private static final int KEPT_REJECTIONS = 5;

    private record InFlight(long sentNanos, int samples) {
    }

    private final int id;
    private final BatchSource source;
    private final int window;
    private final CountDownLatch allFinished;
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final List<StreamResult.RejectionNote> firstRejections = new ArrayList<>();
    private ClientCallStreamObserver<byte[]> requests;
    private boolean started;
    private boolean halfClosed;
    private boolean closed;
    private boolean pausedByFlowControl;
    private String failure;
    private long finishedNanos;
    private long batchesSent;
    private long batchesAcked;
    private long samplesSent;
    private long bytesSent;
    private long samplesAcked;
    private long samplesAccepted;
    private long samplesRejected;
    private long unexpectedAcks;
    private long flowControlPauses;

    private PushStream(int id, BatchSource source, int window, CountDownLatch allFinished) {
        this.id = id;
        this.source = source;
        this.window = window;
        this.allFinished = allFinished;
    }

    /** Opens the stream now, so it connects while rounds are built; it sends nothing before {@link #start()}. */
    static PushStream open(int id, ManagedChannel channel, String tenant, BatchSource source, int window,
            CountDownLatch allFinished) {
        Metadata headers = new Metadata();
        headers.put(TENANT_HEADER, tenant);
        PushStream stream = new PushStream(id, source, window, allFinished);
        Channel withTenant = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        ClientCalls.asyncBidiStreamingCall(withTenant.newCall(EncodedPush.METHOD, CallOptions.DEFAULT), stream);
        source.onChange(stream::drain);
        return stream;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::drain);
    }

    void start() {
        synchronized (this) {
            started = true;
        }
        drain();
    }

    /** Sends as many waiting batches as flow control and the window allow. */
    synchronized void drain() {
        if (!started || halfClosed || closed) {
            return;
        }
        while (inFlight.size() < window) {
            if (!requests.isReady()) {
                if (source.hasWaiting() && !pausedByFlowControl) {
                    pausedByFlowControl = true;
                    flowControlPauses++;
                }
                break;
            }
            OutgoingBatch batch = source.poll();
            if (batch == null) {
                break;
            }
            pausedByFlowControl = false;
            // Taken before onNext, which copies the batch into HTTP/2 frames: latency includes that copy.
            inFlight.put(batch.sequence(), new InFlight(System.nanoTime(), batch.samples()));
            batchesSent++;
            samplesSent += batch.samples();
            bytesSent += batch.encoded().length;
            requests.onNext(batch.encoded());
        }
        // Half-close only when nothing is pending, so a server that ends the call on half-close loses no ack.
        if (inFlight.isEmpty() && source.isExhausted()) {
            halfClosed = true;
            requests.onCompleted();
        }
    }

    @Override
    public synchronized void onNext(PushResponse response) {
        long now = System.nanoTime();
        PushAck ack = response.getAck();
        InFlight batch = inFlight.remove(ack.getSequence());
        if (batch == null) {
            unexpectedAcks++;
            return;
        }
        latencies.record(now - batch.sentNanos());
        batchesAcked++;
        samplesAcked += batch.samples();
        samplesAccepted += ack.getAccepted();
        // Every simulated series carries one sample, so a rejected series is one rejected sample too.
        samplesRejected += ack.getRejectedCount();
        for (Rejection r : ack.getRejectedList()) {
            if (firstRejections.size() >= KEPT_REJECTIONS) {
                break;
            }
            firstRejections.add(new StreamResult.RejectionNote(ack.getSequence(), r.getField(), r.getCode(), r.getReason()));
        }
        drain();
    }

    @Override
    public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        String reason;
        synchronized (this) {
            if (closed) {
                return;
            }
            StringBuilder text = new StringBuilder("stream ").append(id).append(": ").append(status.getCode());
            if (status.getDescription() != null) {
                text.append(": ").append(status.getDescription());
            }
            Throwable cause = status.getCause();
            if (cause != null && cause != t) {
                text.append(" (").append(cause.getMessage() != null ? cause.getMessage() : cause.toString()).append(')');
            }
            failure = text.toString();
            reason = failure;
            finish();
        }
        source.abort(reason);
    }

    @Override
    public void onCompleted() {
        String reason = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!inFlight.isEmpty()) {
                failure = "stream " + id + ": server ended the stream with " + inFlight.size() + " batches unacknowledged";
            } else if (!halfClosed) {
                failure = "stream " + id + ": server ended the stream before the client was done";
            }
            reason = failure;
            finish();
        }
        if (reason != null) {
            source.abort(reason);
        }
    }

    /** Gives up on the stream; its unacknowledged batches stay unacknowledged. */
    synchronized void cancel(String reason) {
        if (!closed) {
            requests.cancel(reason, null);
        }
    }

    /** Send time of the oldest unacknowledged batch, or -1 if none. */
    synchronized long oldestInFlightNanos() {
        return inFlight.values().stream().mapToLong(InFlight::sentNanos).min().orElse(-1);
    }

    synchronized long finishedNanos() {
        return finishedNanos;
    }

    synchronized StreamResult result() {
        return new StreamResult(batchesSent, batchesAcked, samplesSent, bytesSent, samplesAcked, samplesAccepted,
                samplesRejected, List.copyOf(firstRejections), unexpectedAcks, flowControlPauses, failure, latencies);
    }

    private void finish() {
        closed = true;
        finishedNanos = System.nanoTime();
        allFinished.countDown();
    }
}
