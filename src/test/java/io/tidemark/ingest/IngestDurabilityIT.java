package io.tidemark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.PushResponse;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.storage.embedded.EmbeddedPostgres;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service (target/quarkus-app) as a separate process against its own PostgreSQL:
 * an ack means committed, even when the service is SIGKILLed mid-stream; with PostgreSQL down the stream
 * answers UNAVAILABLE and never a false ack; ingest resumes by itself when PostgreSQL is back.
 */
class IngestDurabilityIT {

    private static final String METRIC = "durable_metric";
    private static final int SERIES_PER_BATCH = 200;
    private static EmbeddedPostgres postgres;
    private static Path dataDir;
    private static final String DATABASE = "durability";
    private static Process app;
    private static int grpcPort;
    private static int httpPort;
    private static Path log;

    @BeforeAll
    static void startPostgres() throws IOException {
        dataDir = TestServices.freshDataDir("tidemark-it-postgres");
        postgres = EmbeddedPostgres.start(dataDir, 0);
        postgres.createDatabaseIfMissing(DATABASE);
        grpcPort = TestServices.freePort();
        httpPort = TestServices.freePort();
        log = Path.of("target", "it-app.log").toAbsolutePath();
    }

    @AfterAll
    static void stopAll() {
        if (app != null) {
            app.destroyForcibly();
        }
        postgres.stop();
        TestServices.deleteTree(dataDir.getParent());
    }

    @Test
    void acknowledgedSamplesSurviveSigkillAndPostgresOutages() throws Exception {
        startApp();
        long base = System.currentTimeMillis() - 1_800_000; // within the 1h late-sample window
        Set<Long> acked = ConcurrentHashMap.newKeySet();

        // 1. Stream until some batches are acknowledged, then SIGKILL the service mid-stream.
        CompletableFuture<Throwable> stream = pushForever(base, 0, acked);
        waitUntil(() -> acked.size() >= 30, Duration.ofSeconds(60), "30 acks before the kill");
        app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Throwable ended = stream.get(30, TimeUnit.SECONDS);
        assertTrue(ended != null, "the stream ends with an error when the service dies");
        Set<Long> ackedBeforeKill = Set.copyOf(acked);

        // 2. Every acknowledged batch is in PostgreSQL, whole.
        Map<Long, Long> stored = storedPerBatch(base);
        for (long seq : ackedBeforeKill) {
            assertEquals(SERIES_PER_BATCH, stored.getOrDefault(seq, 0L), "acknowledged batch " + seq + " is stored whole");
        }

        // 3. Restarted, the service takes the stream again.
        startApp();
        Set<Long> ackedAfterRestart = ConcurrentHashMap.newKeySet();
        CompletableFuture<Throwable> again = pushForever(base, 1_000_000, ackedAfterRestart);
        waitUntil(() -> ackedAfterRestart.size() >= 5, Duration.ofSeconds(60), "acks after the restart");

        // 4. PostgreSQL goes away: the stream fails with UNAVAILABLE and nothing more is acknowledged.
        postgres.stop();
        Throwable outage = again.get(60, TimeUnit.SECONDS);
        assertTrue(outage instanceof StatusRuntimeException, "stream error: " + outage);
        assertEquals(Status.Code.UNAVAILABLE, ((StatusRuntimeException) outage).getStatus().getCode(), outage.toString());
        assertEquals(503, readiness(), "not ready while PostgreSQL is down");
        Set<Long> ackedBeforeOutage = Set.copyOf(ackedAfterRestart);

        // 5. PostgreSQL is back: ingest resumes without restarting the service.
        postgres.restart();
        try (GrpcTestClient client = new GrpcTestClient(grpcPort)) {
            waitUntil(() -> {
                try {
                    return client.blocking(null).write(WriteRequest.newBuilder().setBatch(batch(base, 2_000_000)).build())
                            .getAccepted() == SERIES_PER_BATCH;
                } catch (StatusRuntimeException e) {
                    return false;
                }
            }, Duration.ofSeconds(60), "a write accepted after PostgreSQL came back");
        }
        Map<Long, Long> finalStored = storedPerBatch(base);
        for (long seq : ackedBeforeOutage) {
            assertEquals(SERIES_PER_BATCH, finalStored.getOrDefault(seq, 0L), "batch " + seq + " acked before the outage");
        }
        for (long seq : ackedBeforeKill) {
            assertEquals(SERIES_PER_BATCH, finalStored.getOrDefault(seq, 0L), "batch " + seq + " acked before the kill");
        }
        waitUntil(() -> readiness() == 200, Duration.ofSeconds(30), "ready again after PostgreSQL came back");
    }

    private static MetricBatch batch(long base, long sequence) {
        MetricBatch.Builder b = MetricBatch.newBuilder();
        for (int h = 0; h < SERIES_PER_BATCH; h++) {
            b.addSeries(TimeSeries.newBuilder().setName(METRIC).putLabels("host", "h" + h)
                    .addSamples(Sample.newBuilder().setTimestampMs(base + sequence).setValue(sequence)));
        }
        return b.build();
    }

    /** Pushes batches with sequences from {@code firstSequence} on, 8 in flight, until the stream fails. */
    private static CompletableFuture<Throwable> pushForever(long base, long firstSequence, Set<Long> acked) {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        GrpcTestClient client = new GrpcTestClient(grpcPort);
        Semaphore window = new Semaphore(8);
        StreamObserver<PushRequest> requests = client.async(null).push(new StreamObserver<>() {
            @Override
            public void onNext(PushResponse response) {
                acked.add(response.getAck().getSequence());
                window.release();
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
                window.release(1000);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        Thread sender = new Thread(() -> {
            for (long seq = firstSequence; !ended.isDone() && seq < firstSequence + 100_000; seq++) {
                try {
                    window.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                if (!ended.isDone()) {
                    requests.onNext(PushRequest.newBuilder().setSequence(seq).setBatch(batch(base, seq)).build());
                }
            }
        }, "push-sender");
        sender.start();
        return ended.whenComplete((t, e) -> {
            try {
                client.close();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stored samples per batch sequence (a batch's samples all share timestamp base + sequence). */
    private static Map<Long, Long> storedPerBatch(long base) throws Exception {
        Map<Long, Long> counts = new HashMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(DATABASE), postgres.user(), "");
                PreparedStatement st = c.prepareStatement("SELECT ts - ?, count(*) FROM samples s JOIN series r "
                        + "ON r.id = s.series_id WHERE r.name = ? GROUP BY ts")) {
            st.setLong(1, base);
            st.setString(2, METRIC);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static void startApp() throws Exception {
        String jar = System.getProperty("tidemark.it.app-jar", "target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dtidemark.db.url=" + postgres.reactiveUrl(DATABASE),
                "-Dtidemark.db.username=" + postgres.user(),
                "-Dtidemark.redis.url=redis://127.0.0.1:1",
                "-Dquarkus.grpc.server.port=" + grpcPort,
                "-Dquarkus.http.port=" + httpPort,
                "-jar", jar));
        app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        waitUntil(() -> readiness() == 200, Duration.ofSeconds(90), "service ready (log: " + log + ")");
    }

    private static int readiness() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (app != null && !app.isAlive() && what.startsWith("service")) {
                fail("the service exited while waiting for " + what + ":\n" + tail(log));
            }
            if (condition.holds()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("timed out waiting for " + what + "\n" + tail(log));
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
