package io.tidemark.ingest;

import static io.restassured.RestAssured.given;
import static io.tidemark.testing.GrpcTestClient.batch;
import static io.tidemark.testing.GrpcTestClient.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.IngestServiceGrpc;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.proto.v1.WriteResponse;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random malformed batches and raw garbage at both APIs: the service stays up and the good data stays intact. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class IngestFuzzTest {

    private static final String TENANT = "fuzz";
    private static final String RANDOM_TENANT = "fuzz-random";
    private static final String ALPHABET = "abcXYZ_:.-09 é\u0000\"{}";

    @Test
    void randomBatchesNeverLoseOrInventSamples() throws Exception {
        Random random = new Random(20261125);
        long accepted = 0;
        try (GrpcTestClient client = new GrpcTestClient()) {
            for (int round = 0; round < 60; round++) {
                MetricBatch.Builder b = MetricBatch.newBuilder();
                int seriesCount = 1 + random.nextInt(20);
                for (int s = 0; s < seriesCount; s++) {
                    TimeSeries.Builder ts = TimeSeries.newBuilder().setName(random.nextInt(4) == 0 ? randomText(random)
                            : "fuzz_" + random.nextInt(5));
                    for (int l = random.nextInt(4); l > 0; l--) {
                        ts.putLabels(random.nextInt(5) == 0 ? randomText(random) : "l" + random.nextInt(3),
                                randomText(random));
                    }
                    long base = System.currentTimeMillis() - 60_000;
                    for (int k = random.nextInt(6); k > 0; k--) {
                        long offset = switch (random.nextInt(8)) {
                            case 0 -> -20L * 24 * 3_600_000;
                            case 1 -> 3_600_000;
                            default -> random.nextInt(60_000);
                        };
                        ts.addSamples(Sample.newBuilder().setTimestampMs(base + offset)
                                .setValue(random.nextBoolean() ? random.nextGaussian() : Double.NaN));
                    }
                    b.addSeries(ts);
                }
                WriteResponse r = client.blocking(RANDOM_TENANT).write(WriteRequest.newBuilder().setBatch(b).build());
                accepted += r.getAccepted();
                int rejectedSamples = 0;
                for (var rej : r.getRejectedList()) {
                    rejectedSamples += rej.getSampleIndex() >= 0 ? 1
                            : b.getSeries(rej.getSeriesIndex()).getSamplesCount();
                    assertTrue(!rej.getField().isEmpty() && !rej.getReason().isEmpty(), rej.toString());
                }
                int sent = b.getSeriesList().stream().mapToInt(TimeSeries::getSamplesCount).sum();
                assertEquals(sent, r.getAccepted() + rejectedSamples, "every sample is accepted or rejected: " + r);
            }
            // Samples that repeat a (series, timestamp) are accepted but stored once, so storage holds at most that.
            long stored = Db.count("SELECT count(*) FROM samples s JOIN series r ON r.id = s.series_id WHERE r.tenant = ?",
                    RANDOM_TENANT);
            assertTrue(stored > 0 && stored <= accepted, "stored " + stored + " of " + accepted + " accepted");
        }
    }

    @Test
    void protobufGarbageGetsAnErrorAndTheServiceStaysUp() throws Exception {
        Random random = new Random(7);
        try (GrpcTestClient client = new GrpcTestClient()) {
            MethodDescriptor<byte[], byte[]> rawWrite = MethodDescriptor.<byte[], byte[]> newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(IngestServiceGrpc.getWriteMethod().getFullMethodName())
                    .setRequestMarshaller(new RawBytes()).setResponseMarshaller(new RawBytes()).build();
            int errors = 0;
            for (int i = 0; i < 50; i++) {
                byte[] garbage = new byte[1 + random.nextInt(2000)];
                random.nextBytes(garbage);
                try {
                    ClientCalls.blockingUnaryCall(client.channel(), rawWrite, io.grpc.CallOptions.DEFAULT, garbage);
                } catch (StatusRuntimeException e) {
                    errors++;
                }
            }
            assertTrue(errors > 40, "most garbage is refused, " + errors + " of 50");
            MethodDescriptor<byte[], byte[]> rawPush = MethodDescriptor.<byte[], byte[]> newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(IngestServiceGrpc.getPushMethod().getFullMethodName())
                    .setRequestMarshaller(new RawBytes()).setResponseMarshaller(new RawBytes()).build();
            for (int i = 0; i < 10; i++) {
                java.util.concurrent.CompletableFuture<Throwable> ended = new java.util.concurrent.CompletableFuture<>();
                io.grpc.stub.StreamObserver<byte[]> stream = ClientCalls.asyncBidiStreamingCall(
                        client.channel().newCall(rawPush, io.grpc.CallOptions.DEFAULT), new io.grpc.stub.StreamObserver<>() {
                            @Override
                            public void onNext(byte[] value) {
                            }

                            @Override
                            public void onError(Throwable t) {
                                ended.complete(t);
                            }

                            @Override
                            public void onCompleted() {
                                ended.complete(null);
                            }
                        });
                for (int k = 0; k < 5; k++) {
                    byte[] garbage = new byte[1 + random.nextInt(2000)];
                    random.nextBytes(garbage);
                    stream.onNext(garbage);
                }
                stream.onCompleted();
                Throwable end = ended.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(end == null || end instanceof StatusRuntimeException, "stream ends cleanly or with a status: " + end);
            }
            long t = System.currentTimeMillis();
            WriteResponse ok = client.blocking(TENANT).write(WriteRequest.newBuilder()
                    .setBatch(batch(series("after_garbage", Map.of("k", "v"), t, 1))).build());
            assertEquals(1, ok.getAccepted());
            assertEquals(1, Db.samplesOf(TENANT, "after_garbage"));
        }
    }

    @Test
    void jsonGarbageGets4xxNever5xx() {
        Random random = new Random(11);
        String[] fragments = { "{", "}", "[", "]", "\"metric\"", ":", ",", "1e309", "\"tags\"", "null", "\"NaN\"",
                "{\"metric\":\"x\",\"value\":", "\"host_id\"", "\"metrics\"", "true", "\u0000", "-", "\"timestamp\"" };
        for (int i = 0; i < 60; i++) {
            StringBuilder body = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                body.append(fragments[random.nextInt(fragments.length)]);
            }
            int status = given().contentType("application/json").body(body.toString()).when().post("/api/v1/metrics")
                    .then().extract().statusCode();
            assertTrue(status == 200 || (status >= 400 && status < 500), "status " + status + " for " + body);
        }
        given().contentType("application/json").body("[{\"metric\":\"after_json_garbage\",\"value\":1}]")
                .header("x-tidemark-tenant", TENANT).when().post("/api/v1/metrics").then().statusCode(200);
        assertEquals(1, Db.samplesOf(TENANT, "after_json_garbage"));
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(8); i >= 0; i--) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
