package io.tidemark.ingest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.tidemark.proto.v1.IngestServiceGrpc;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.PushAck;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.proto.v1.WriteResponse;
import io.tidemark.storage.StorageUnavailableException;
import io.tidemark.storage.WriteQueueFullException;
import io.tidemark.tenant.TenantGrpcInterceptor;
import org.jboss.logging.Logger;

/**
 * The gRPC edge of ingest: protobuf in, {@link IngestService}, protobuf out. The byte size of a batch is
 * bounded by the transport ({@code quarkus.grpc.server.max-inbound-message-size}, set from
 * {@code tidemark.ingest.max-batch-bytes}), before any of it is parsed.
 * Push uses grpc-java's manual flow control: the server requests a new message only when an earlier
 * batch is acknowledged, so at most {@code stream-window} batches per stream are held in memory and a
 * faster client is slowed by HTTP/2 flow control.
 */
@GrpcService
public class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {

    private static final Logger LOG = Logger.getLogger(IngestGrpcService.class);

    private final IngestService ingest;
    private final int window;

    public IngestGrpcService(IngestService ingest, IngestConfig config) {
        this.ingest = ingest;
        this.window = config.streamWindow();
    }

    @Override
    public void write(WriteRequest request, StreamObserver<WriteResponse> response) {
        String tenant = TenantGrpcInterceptor.current();
        ingest.ingest(tenant, ProtoMapping.toIncoming(request.getBatch())).subscribe().with(result -> {
            if (result.everySeriesOverLimit()) {
                response.onError(seriesLimitStatus(result));
                return;
            }
            response.onNext(WriteResponse.newBuilder().setAccepted(result.accepted())
                    .addAllRejected(ProtoMapping.toProto(result.rejections())).build());
            response.onCompleted();
        }, failure -> response.onError(toStatus(failure)));
    }

    /** Every series of the batch was new and over a series limit: the first refusal names the limit and its key. */
    static StatusRuntimeException seriesLimitStatus(IngestResult result) {
        String first = result.rejections().stream().filter(r -> r.code() == RejectCode.CARDINALITY_LIMIT)
                .map(Rejection::reason).findFirst().orElse("series limit reached");
        return Status.RESOURCE_EXHAUSTED.withDescription("every series of the batch is new and was refused: " + first)
                .asRuntimeException();
    }

    @Override
    public StreamObserver<PushRequest> push(StreamObserver<PushResponse> responses) {
        ServerCallStreamObserver<PushResponse> call = (ServerCallStreamObserver<PushResponse>) responses;
        call.disableAutoRequest();
        PushStream stream = new PushStream(call, TenantGrpcInterceptor.current());
        call.setOnCancelHandler(stream::cancelled);
        call.request(window);
        return stream;
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof BatchTooLargeException) {
            return Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof WriteQueueFullException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof StorageUnavailableException) {
            return Status.UNAVAILABLE.withDescription(failure.getMessage() + "; the batch was not acknowledged, retry it")
                    .asRuntimeException();
        }
        LOG.error("ingest failed", failure);
        return Status.INTERNAL.withDescription("ingest failed: " + failure).asRuntimeException();
    }

    /**
     * One Push stream. Acks are sent in commit order (not necessarily send order); the stream ends when the
     * client half-closes and every batch read has been acknowledged, or with the status of the first failure.
     */
    private final class PushStream implements StreamObserver<PushRequest> {
        private final ServerCallStreamObserver<PushResponse> call;
        private final String tenant;
        private int inFlight;
        private boolean clientDone;
        private boolean closed;

        PushStream(ServerCallStreamObserver<PushResponse> call, String tenant) {
            this.call = call;
            this.tenant = tenant;
        }

        @Override
        public void onNext(PushRequest request) {
            long sequence = request.getSequence();
            MetricBatch batch = request.getBatch();
            synchronized (this) {
                if (closed) {
                    return;
                }
                inFlight++;
            }
            ingest.ingest(tenant, ProtoMapping.toIncoming(batch)).subscribe().with(result -> {
                if (result.everySeriesOverLimit()) {
                    fail(withSequence(seriesLimitStatus(result), sequence));
                } else {
                    acknowledge(PushAck.newBuilder().setSequence(sequence).setAccepted(result.accepted())
                            .addAllRejected(ProtoMapping.toProto(result.rejections())).build());
                }
            }, failure -> fail(withSequence(toStatus(failure), sequence)));
        }

        private synchronized void acknowledge(PushAck ack) {
            if (closed) {
                return;
            }
            inFlight--;
            call.onNext(PushResponse.newBuilder().setAck(ack).build());
            if (clientDone && inFlight == 0) {
                closed = true;
                call.onCompleted();
            } else {
                call.request(1);
            }
        }

        private synchronized void fail(StatusRuntimeException status) {
            if (!closed) {
                closed = true;
                call.onError(status);
            }
        }

        /** The client went away: batches still in flight are committed, but nobody is left to ack them. */
        synchronized void cancelled() {
            closed = true;
        }

        @Override
        public void onError(Throwable t) {
            cancelled();
        }

        @Override
        public synchronized void onCompleted() {
            clientDone = true;
            if (inFlight == 0 && !closed) {
                closed = true;
                call.onCompleted();
            }
        }

        private StatusRuntimeException withSequence(StatusRuntimeException e, long sequence) {
            Status status = e.getStatus();
            return status.withDescription("batch " + sequence + ": " + status.getDescription()).asRuntimeException();
        }
    }
}
