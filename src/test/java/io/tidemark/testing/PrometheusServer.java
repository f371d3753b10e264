package io.tidemark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (the Debian package's {@code /usr/bin/prometheus}, 2.42) for differential tests: started once
 * per test JVM on a free port with no scrape targets, its own TSDB under the system temp dir and the remote-write
 * receiver on, so tests feed it exactly the samples they feed Tidemark. Installed with apt when missing.
 */
public final class PrometheusServer {

    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private static PrometheusServer instance;

    private final Process process;
    private final Path root;
    private final int port;

    private PrometheusServer(Process process, Path root, int port) {
        this.process = process;
        this.root = root;
        this.port = port;
    }

    /** The running server, started on first use and stopped when the test JVM exits. */
    public static synchronized PrometheusServer get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PrometheusServer started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return instance;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static PrometheusServer start() throws IOException {
        ensureInstalled();
        Path root = Files.createTempDirectory("tidemark-test-prometheus");
        Path config = root.resolve("prometheus.yml");
        // No scrape targets: every sample comes from the test through remote write.
        Files.writeString(config, "global:\n  scrape_interval: 1h\nscrape_configs: []\n", StandardCharsets.UTF_8);
        int port = TestServices.freePort();
        List<String> command = List.of(BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + root.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver",
                // An empty head accepts the first samples at any age; the tests write in time order, so the head's
                // in-order window (half a block: 3 h here, 1 h by default) only needs to cover the test data's span.
                "--storage.tsdb.min-block-duration=6h",
                "--storage.tsdb.max-block-duration=6h",
                "--storage.tsdb.retention.time=1d",
                "--query.lookback-delta=5m",
                "--log.level=warn");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, root, port);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with status " + process.exitValue()
                        + " before it was ready; its log:\n" + log());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready")).timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for prometheus", e);
            }
            sleep(100);
        }
        stop();
        throw new IllegalStateException("prometheus was not ready within " + READY_TIMEOUT + "; its log:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(root.resolve("prometheus.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its data. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestServices.deleteTree(root);
    }

    /** Installs Debian's prometheus package when the binary is missing (tests run as root on a fresh machine). */
    private static void ensureInstalled() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String output = run(List.of("apt-get", "install", "-y", "--no-install-recommends", "prometheus"));
        if (!Files.isExecutable(BINARY)) {
            // The package lists may be missing on a fresh image: refresh them once and retry.
            output += run(List.of("apt-get", "update"));
            output += run(List.of("apt-get", "install", "-y", "--no-install-recommends", "prometheus"));
        }
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing and `apt-get install -y prometheus` did not provide"
                    + " it (the differential PromQL tests need Debian's prometheus package; install it as root)."
                    + " apt-get said:\n" + output);
        }
    }

    private static String run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.MINUTES);
            return "$ " + String.join(" ", command) + "\n" + output;
        } catch (IOException e) {
            return "$ " + String.join(" ", command) + "\n(could not run: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "$ " + String.join(" ", command) + "\n(interrupted)\n";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
