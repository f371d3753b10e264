package io.tidemark.load;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tidemark.proto.v1.IngestServiceGrpc;
import io.tidemark.proto.v1.PushAck;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.proto.v1.Rejection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Tidemark's IngestService.Push, for testing the simulator: it "commits" each batch
 * after a random delay (so acks come out of order) and, like the real one, reads a new batch only
 * when a commit slot is free.
 */
final class FakeIngestServer implements AutoCloseable {

    /** How the fake behaves; every field has a harmless default. */
    static final class Behaviour {
        /** Batches read ahead and committing at once per stream; 0 = read everything at once, no flow control. */
        int commitSlots = 4;
        int minDelayMs = 1;
        int maxDelayMs = 5;
        /** Reject series 0 of every batch. */
        boolean rejectFirstSeries;
        /** After this many acks on a stream, end it with UNAVAILABLE; -1 = never. */
        int failAfterAcks = -1;
        /** Read batches but never ack them. */
        boolean neverAck;
    }

    private static final Context.Key<String> TENANT = Context.key("tenant");

    private final Behaviour behaviour;
    private final Server server;
    private final ScheduledExecutorService committer = Executors.newScheduledThreadPool(4);
    final AtomicLong samplesReceived = new AtomicLong();
    final AtomicInteger streamsOpened = new AtomicInteger();
    final AtomicInteger maxUnackedPerStream = new AtomicInteger();
    final Set<String> tenants = ConcurrentHashMap.newKeySet();
    final Set<Long> timestamps = ConcurrentHashMap.newKeySet();

    /** For trying the simulator by hand: {@code FakeIngestServer [port [minDelayMs maxDelayMs]]}. */
    public static void main(String[] args) throws Exception {
        Behaviour behaviour = new Behaviour();
        if (args.length >= 3) {
            behaviour.minDelayMs = Integer.parseInt(args[1]);
            behaviour.maxDelayMs = Integer.parseInt(args[2]);
        }
        FakeIngestServer server = new FakeIngestServer(behaviour, args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("fake IngestService on " + server.target());
        Thread.currentThread().join();
    }

    FakeIngestServer(Behaviour behaviour) throws IOException {
        this(behaviour, 0);
    }

    FakeIngestServer(Behaviour behaviour, int port) throws IOException {
        this.behaviour = behaviour;
        ServerInterceptor tenantFromHeader = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                Context ctx = Context.current().withValue(TENANT, headers.get(PushStream.TENANT_HEADER));
                return Contexts.interceptCall(ctx, call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(ServerInterceptors.intercept(new Service(), tenantFromHeader))
                .build()
                .start();
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        committer.shutdownNow();
    }

    private final class Service extends IngestServiceGrpc.IngestServiceImplBase {
        @Override
        public StreamObserver<PushRequest> push(StreamObserver<PushResponse> responses) {
            ServerCallStreamObserver<PushResponse> out = (ServerCallStreamObserver<PushResponse>) responses;
            streamsOpened.incrementAndGet();
            tenants.add(String.valueOf(TENANT.get()));
            if (behaviour.commitSlots > 0) {
                out.disableAutoRequest();
                out.request(behaviour.commitSlots);
            }
            return new StreamObserver<>() {
                final AtomicInteger unacked = new AtomicInteger();
                final AtomicInteger acks = new AtomicInteger();
                volatile boolean ended;

                @Override
                public void onNext(PushRequest request) {
                    samplesReceived.addAndGet(request.getBatch().getSeriesCount());
                    request.getBatch().getSeriesList().forEach(s -> timestamps.add(s.getSamples(0).getTimestampMs()));
                    maxUnackedPerStream.accumulateAndGet(unacked.incrementAndGet(), Math::max);
                    if (behaviour.neverAck) {
                        return;
                    }
                    int delay = ThreadLocalRandom.current().nextInt(behaviour.minDelayMs, behaviour.maxDelayMs + 1);
                    committer.schedule(() -> commit(request), delay, TimeUnit.MILLISECONDS);
                }

                private void commit(PushRequest request) {
                    synchronized (out) {
                        if (ended) {
                            return;
                        }
                        if (acks.get() == behaviour.failAfterAcks) {
                            ended = true;
                            out.onError(Status.UNAVAILABLE.withDescription("fake server going away").asRuntimeException());
                            return;
                        }
                        PushAck.Builder ack = PushAck.newBuilder().setSequence(request.getSequence());
                        int series = request.getBatch().getSeriesCount();
                        if (behaviour.rejectFirstSeries) {
                            ack.addRejected(Rejection.newBuilder().setSeriesIndex(0).setSampleIndex(0)
                                    .setField("series[0].samples[0].timestamp_ms").setCode("too_old")
                                    .setReason("fake rejection of sequence " + request.getSequence()));
                            series--;
                        }
                        unacked.decrementAndGet();
                        acks.incrementAndGet();
                        out.onNext(PushResponse.newBuilder().setAck(ack.setAccepted(series)).build());
                        if (behaviour.commitSlots > 0) {
                            out.request(1);
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    ended = true;
                }

                @Override
                public void onCompleted() {
                    // The client half-closes only after its last ack, so nothing is pending here.
                    synchronized (out) {
                        if (!ended) {
                            ended = true;
                            out.onCompleted();
                        }
                    }
                }
            };
        }
    }
}
