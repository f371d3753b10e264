package io.tidemark.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tidemark.proto.v1.IngestServiceGrpc;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A plain grpc-java client of the service under test, as an agent would use it. */
public final class GrpcTestClient implements AutoCloseable {

    /** The gRPC test port; -Dtidemark.test.grpc-port lets two checkouts run their tests side by side. */
    public static final int TEST_PORT = Integer.getInteger("tidemark.test.grpc-port", 9101);

    private final ManagedChannel channel;

    public GrpcTestClient() {
        this(TEST_PORT);
    }

    public GrpcTestClient(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    public ManagedChannel channel() {
        return channel;
    }

    public IngestServiceGrpc.IngestServiceBlockingStub blocking(String tenant) {
        return IngestServiceGrpc.newBlockingStub(channel).withInterceptors(tenantHeader(tenant))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public IngestServiceGrpc.IngestServiceStub async(String tenant) {
        return IngestServiceGrpc.newStub(channel).withInterceptors(tenantHeader(tenant));
    }

    private static io.grpc.ClientInterceptor tenantHeader(String tenant) {
        Metadata headers = new Metadata();
        if (tenant != null) {
            headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), tenant);
        }
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    public static TimeSeries series(String name, Map<String, String> labels, long ts, double value) {
        return TimeSeries.newBuilder().setName(name).putAllLabels(labels)
                .addSamples(Sample.newBuilder().setTimestampMs(ts).setValue(value)).build();
    }

    public static MetricBatch batch(TimeSeries... series) {
        return MetricBatch.newBuilder().addAllSeries(java.util.List.of(series)).build();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
