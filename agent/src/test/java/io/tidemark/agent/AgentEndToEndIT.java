package io.tidemark.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.tidemark.proto.v1.LabelMatcher;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.Selector;
import io.tidemark.proto.v1.SeriesRequest;
import io.tidemark.proto.v1.TimeSeries;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent jar against the packaged Tidemark (target/quarkus-app of the root build) and a real, embedded PostgreSQL
 * that the service starts and that outlives it. A local endpoint serves a probe series with explicit, distinct
 * timestamps, so the test knows every sample the agent collected: ships → queryable; service stopped → the agent
 * buffers on disk; agent SIGKILLed and restarted mid-outage → its buffered batches still arrive; service back →
 * every sample arrives, each once; primary killed → the backup takes the data. The outage lasts 2 minutes, as the
 * issue asks (backoff is capped at 2 s so that the agent notices the service's return at once).
 */
class AgentEndToEndIT {

    private static final String TENANT = "agent-it";
    private static final Duration OUTAGE = Duration.ofMinutes(2);
    private static Path workDir;
    private static Path pgData;
    private static final List<Process> processes = new ArrayList<>();
    private static HttpServer probeServer;
    /** Per phase: sequence number served → timestamp it was served with. */
    private static final Map<String, ConcurrentSkipListMap<Long, Long>> served = new HashMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        String appJar = System.getProperty("tidemark.it.app-jar", "../target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(Path.of(appJar))) {
            fail("the packaged service " + appJar + " is missing: run ./mvnw -B package (or verify) at the root first");
        }
        // As root, PostgreSQL runs as nobody, who must be able to enter the data directory's parents.
        workDir = Files.createTempDirectory("tidemark-agent-it", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        pgData = workDir.resolve("postgres");
        probeServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String phase : List.of("outage", "failover")) {
            ConcurrentSkipListMap<Long, Long> log = new ConcurrentSkipListMap<>();
            served.put(phase, log);
            probeServer.createContext("/" + phase, exchange -> {
                long ts;
                long n;
                synchronized (log) {
                    n = log.isEmpty() ? 1 : log.lastKey() + 1;
                    ts = Math.max(System.currentTimeMillis(), log.isEmpty() ? 0 : log.lastEntry().getValue() + 1);
                    log.put(n, ts);
                }
                byte[] body = ("# TYPE it_probe gauge\nit_probe{phase=\"" + phase + "\"} " + n + " " + ts + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
        }
        probeServer.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (probeServer != null) {
            probeServer.stop(0);
        }
        postmasterPid().flatMap(ProcessHandle::of).ifPresent(pg -> {
            pg.destroy(); // SIGTERM: PostgreSQL's smart shutdown; nobody is connected any more
            pg.onExit().orTimeout(60, TimeUnit.SECONDS).join();
        });
        if (workDir != null) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void shipsBuffersThroughOutagesAndRestartsAndFailsOver() throws Exception {
        Service primary = Service.start("primary");

        // 1. The agent ships: host metrics are queryable, the probe's samples are stored, the host is registered.
        Path buffer1 = workDir.resolve("buffer-1");
        Path config1 = writeConfig("agent-1.yaml", "it-host-1", primary, null, buffer1, "outage");
        Process agent = startAgent(config1, "agent-1");
        waitUntil(() -> storedProbe("outage").size() >= 3, Duration.ofSeconds(60), "probe samples stored");
        waitUntil(() -> seriesOf(primary, "node_load1", "it-host-1") > 0, Duration.ofSeconds(30),
                "node_load1{host=it-host-1} queryable through QueryService");
        waitUntil(() -> httpGet(primary.httpPort, "/api/v1/hosts?label=environment=it").contains("\"it-host-1\""),
                Duration.ofSeconds(60), "it-host-1 registered by its heartbeat");
        assertTrue(httpGet(primary.httpPort, "/api/v1/hosts?status=active").contains("\"it-host-1\""));

        // 2. The service stops: the agent buffers on disk.
        primary.stop();
        long outageStart = System.currentTimeMillis();
        waitUntil(() -> batchFiles(buffer1).size() >= 5, Duration.ofSeconds(30), "batches buffered on disk");

        // 3. Mid-outage the agent is SIGKILLed: what it had on disk must still arrive after its restart.
        sleepUntil(outageStart + OUTAGE.toMillis() / 2);
        agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long killedAt = System.currentTimeMillis();
        Set<Long> buffeAtKill = probeTimestampsIn(buffer1);
        assertTrue(buffeAtKill.size() >= 5, "probe samples buffered at the kill: " + buffeAtKill.size());
        Process restarted = startAgent(config1, "agent-1-restarted");
        sleepUntil(outageStart + OUTAGE.toMillis());

        // 4. The service is back: every sample arrives exactly once.
        primary.startAgain();
        Map<Long, Double> stored = waitForAll("outage", killedAt);
        for (long ts : buffeAtKill) {
            assertTrue(stored.containsKey(ts), "sample at " + ts + " was on disk at the kill and arrived");
        }
        assertEquals(0, duplicateProbeRows(), "no (series, timestamp) stored twice");
        String metrics1 = httpGet(selfPort(config1), "/metrics");
        assertEquals(0, metric(metrics1, "tidemark_agent_samples_dropped_total"), metrics1);
        assertTrue(metric(metrics1, "tidemark_agent_samples_sent_total") > 0);
        restarted.destroy();
        restarted.waitFor(30, TimeUnit.SECONDS);

        // 5. Failover: a second replica on the same database as backup; the primary is killed.
        Service backup = Service.start("backup");
        Path buffer2 = workDir.resolve("buffer-2");
        Path config2 = writeConfig("agent-2.yaml", "it-host-2", primary, backup, buffer2, "failover");
        Process agent2 = startAgent(config2, "agent-2");
        waitUntil(() -> storedProbe("failover").size() >= 3, Duration.ofSeconds(60), "failover probe stored via primary");
        assertEquals(0, metric(httpGet(backup.httpPort, "/q/metrics"), "tidemark_ingest_samples_accepted_total"),
                "nothing went to the backup while the primary was up");
        primary.kill();
        long primaryKilled = System.currentTimeMillis();
        waitUntil(() -> metric(httpGet(backup.httpPort, "/q/metrics"), "tidemark_ingest_samples_accepted_total") > 0,
                Duration.ofSeconds(60), "the backup receives the agent's batches");
        sleepUntil(primaryKilled + 5_000);
        waitForAll("failover", System.currentTimeMillis() + 1);
        assertTrue(metric(httpGet(selfPort(config2), "/metrics"), "tidemark_agent_failovers_total") >= 1);
        assertTrue(httpGet(backup.httpPort, "/api/v1/hosts").contains("\"it-host-2\""), "heartbeats go to the backup");
        agent2.destroy();
    }

    /**
     * Waits until every probe sample served before {@code lostAfter - 3 s} is stored (the agent may lose what it had
     * only in memory, at most one 1 s flush interval, when SIGKILLed), then checks every stored value.
     */
    private static Map<Long, Double> waitForAll(String phase, long killedAt) throws Exception {
        ConcurrentSkipListMap<Long, Long> log = served.get(phase);
        long servedUpTo = System.currentTimeMillis() - 3_000;
        waitUntil(() -> {
            Map<Long, Double> stored = storedProbe(phase);
            return log.entrySet().stream().filter(e -> e.getValue() < servedUpTo)
                    .filter(e -> e.getValue() < killedAt - 3_000 || e.getValue() > killedAt)
                    .allMatch(e -> stored.containsKey(e.getValue()));
        }, Duration.ofSeconds(90), "every " + phase + " probe sample stored");
        Map<Long, Double> stored = storedProbe(phase);
        int lost = 0;
        for (Map.Entry<Long, Long> e : log.entrySet()) {
            Double value = stored.get(e.getValue());
            if (value == null) {
                if (e.getValue() >= killedAt - 3_000 && e.getValue() <= killedAt) {
                    lost++;
                }
                continue;
            }
            assertEquals((double) e.getKey(), value, "probe " + e.getKey() + " stored with its own value");
        }
        assertTrue(lost <= 3, lost + " samples lost at the SIGKILL (only the last in-memory flush may be)");
        return stored;
    }

    // ---- the service

    private static final class Service {
        final String name;
        final int grpcPort;
        final int httpPort;
        Process process;

        private Service(String name) throws IOException {
            this.name = name;
            this.grpcPort = freePort();
            this.httpPort = freePort();
        }

        static Service start(String name) throws Exception {
            Service s = new Service(name);
            s.startAgain();
            return s;
        }

        void startAgain() throws Exception {
            String jar = System.getProperty("tidemark.it.app-jar", "../target/quarkus-app/quarkus-run.jar");
            Path log = Path.of("target", "it-service-" + name + ".log").toAbsolutePath();
            process = new ProcessBuilder(javaBin(), "-Xmx256m",
                    "-Dtidemark.embedded-postgres.data-dir=" + pgData,
                    "-Dtidemark.embedded-postgres.port=0",
                    "-Dtidemark.embedded-postgres.stop-on-exit=false",
                    "-Dtidemark.redis.url=redis://127.0.0.1:1",
                    "-Dquarkus.grpc.server.port=" + grpcPort, "-Dquarkus.http.port=" + httpPort, "-jar", jar)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            processes.add(process);
            waitUntil(() -> {
                if (!process.isAlive()) {
                    fail("service " + name + " exited: see " + log);
                }
                return status(httpPort, "/q/health/ready") == 200;
            }, Duration.ofSeconds(120), "service " + name + " ready (log " + log + ")");
        }

        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- the agent

    private static Path writeConfig(String file, String hostname, Service primary, Service backup, Path buffer,
            String phase) throws IOException {
        String yaml = "collection:\n  interval: 1s\n  batch_size: 500\n"
                + "endpoints:\n  primary: http://127.0.0.1:" + primary.grpcPort + "\n"
                + (backup == null ? "" : "  backup: http://127.0.0.1:" + backup.grpcPort + "\n")
                + "tenant: " + TENANT + "\n"
                + "host:\n  hostname: " + hostname + "\n  heartbeat_interval: 2s\n"
                + "  labels: {environment: it, datacenter: local}\n"
                + "metrics:\n  system:\n    interval: 1s\n    filesystem: 10s\n"
                + "  applications:\n    - type: http\n      url: http://127.0.0.1:" + probeServer.getAddress().getPort()
                + "/" + phase + "\n      interval: 1s\n      job: probe\n"
                + "buffering:\n  disk_path: " + buffer + "\n  max_size: 10000\n"
                + "shipping:\n  backoff_min: 200ms\n  backoff_max: 2s\n  ack_timeout: 10s\n"
                + "self_metrics:\n  listen: 127.0.0.1:" + freePort() + "\n";
        Path path = workDir.resolve(file);
        Files.writeString(path, yaml);
        return path;
    }

    private static Process startAgent(Path config, String name) throws IOException {
        String jar = System.getProperty("tidemark.it.agent-jar", "target/tidemark-agent.jar");
        Path log = Path.of("target", "it-" + name + ".log").toAbsolutePath();
        Process p = new ProcessBuilder(javaBin(), "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar, "--config",
                config.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        processes.add(p);
        return p;
    }

    private static int selfPort(Path config) throws IOException {
        Matcher m = Pattern.compile("listen: 127.0.0.1:(\\d+)").matcher(Files.readString(config));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    private static List<Path> batchFiles(Path buffer) throws IOException {
        if (!Files.isDirectory(buffer)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(buffer, "*.batch")) {
            dir.forEach(files::add);
        }
        return files;
    }

    /** Timestamps of the probe samples in the buffered batches, read as the agent wrote them. */
    private static Set<Long> probeTimestampsIn(Path buffer) throws IOException {
        Set<Long> out = new java.util.HashSet<>();
        for (Path file : batchFiles(buffer)) {
            for (TimeSeries series : MetricBatch.parseFrom(Files.readAllBytes(file)).getSeriesList()) {
                if (series.getName().equals("it_probe")) {
                    series.getSamplesList().stream().map(Sample::getTimestampMs).forEach(out::add);
                }
            }
        }
        return out;
    }

    // ---- reading back

    private static Connection db() throws Exception {
        int port = postmasterPort();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/tidemark", "tidemark", "");
    }

    private static Map<Long, Double> storedProbe(String phase) {
        Map<Long, Double> out = new TreeMap<>();
        try (Connection c = db(); PreparedStatement st = c.prepareStatement("SELECT s.ts, s.value FROM samples s"
                + " JOIN series r ON r.id = s.series_id WHERE r.tenant = ? AND r.name = 'it_probe'"
                + " AND r.labels->>'phase' = ?")) {
            st.setString(1, TENANT);
            st.setString(2, phase);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getDouble(2));
                }
            }
        } catch (Exception e) {
            return Map.of();
        }
        return out;
    }

    private static long duplicateProbeRows() throws Exception {
        try (Connection c = db(); PreparedStatement st = c.prepareStatement("SELECT count(*) FROM (SELECT s.series_id,"
                + " s.ts FROM samples s JOIN series r ON r.id = s.series_id WHERE r.tenant = ? AND r.name = 'it_probe'"
                + " GROUP BY 1, 2 HAVING count(*) > 1) d")) {
            st.setString(1, TENANT);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int seriesOf(Service service, String metric, String host) {
        ManagedChannel channel = OkHttpChannelBuilder.forAddress("127.0.0.1", service.grpcPort).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), TENANT);
            long now = System.currentTimeMillis();
            return QueryServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils
                    .newAttachHeadersInterceptor(headers)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .series(SeriesRequest.newBuilder().setSelector(Selector.newBuilder().setMetric(metric)
                            .addMatchers(LabelMatcher.newBuilder().setName("host").setType(LabelMatcher.Type.TYPE_EQUAL)
                                    .setValue(host))).setStartMs(now - 600_000).setEndMs(now + 60_000).build())
                    .getSeriesCount();
        } catch (RuntimeException e) {
            return 0;
        } finally {
            channel.shutdownNow();
        }
    }

    private static java.util.Optional<Long> postmasterPid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim()));
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    private static int postmasterPort() throws IOException {
        return Integer.parseInt(Files.readAllLines(pgData.resolve("postmaster.pid")).get(3).trim());
    }

    private static double metric(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(exposition);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static String httpGet(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + path)).header("x-tidemark-tenant", TENANT)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int status(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long left = epochMs - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return;
            }
            Thread.sleep(250);
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
    }
}
