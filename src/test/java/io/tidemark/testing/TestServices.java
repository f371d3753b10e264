package io.tidemark.testing;

import io.tidemark.storage.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * The real PostgreSQL and Redis the tests run against, started once per test JVM: PostgreSQL from
 * the embedded binaries (data under target/), Redis from embedded-redis. Each test run gets its own database.
 */
public final class TestServices {

    private static EmbeddedPostgres postgres;
    private static RedisServer redis;
    private static int redisPort;
    private static String database;

    private TestServices() {
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                Path dataDir = freshDataDir("tidemark-test-postgres");
                postgres = EmbeddedPostgres.start(dataDir, 0);
                database = "tidemark_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                postgres.createDatabaseIfMissing(database);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    postgres.stop();
                    deleteTree(dataDir.getParent());
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    public static synchronized String database() {
        postgres();
        return database;
    }

    public static synchronized int redisPort() {
        if (redis == null) {
            try {
                redisPort = freePort();
                startRedis();
                Runtime.getRuntime().addShutdownHook(new Thread(TestServices::stopRedis));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return redisPort;
    }

    /** Starts (again) a Redis on the test port, empty: it keeps nothing on disk. */
    public static synchronized void startRedis() throws IOException {
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
    }

    /** Sends one command to the test Redis and returns its raw RESP reply (first line). */
    public static String redisCommand(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", redisPort())) {
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    public static synchronized void stopRedis() {
        try {
            if (redis != null && redis.isActive()) {
                redis.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new data directory under the system temp dir: as root, PostgreSQL runs as nobody, which may not be able to
     * enter the checkout (e.g. under /root). The caller removes it with {@link #deleteTree} once PostgreSQL stopped.
     */
    public static Path freshDataDir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x"))).resolve("data");
    }

    public static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
