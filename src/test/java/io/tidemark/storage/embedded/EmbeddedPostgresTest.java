package io.tidemark.storage.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real PostgreSQL from the embedded binaries: it starts, keeps data across stop and restart, and is reused. */
class EmbeddedPostgresTest {

    private static final String DATABASE = "embedded_test";

    private static Path scratch;
    private static Path dataDir;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        scratch = scratchDirectory();
        dataDir = scratch.resolve("data");
        postgres = EmbeddedPostgres.start(dataDir, 0);
        postgres.createDatabaseIfMissing(DATABASE);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.stop();
        }
        deleteTree(scratch);
    }

    @Test
    void committedRowsSurviveStopAndRestart() throws SQLException {
        execute("CREATE TABLE survivors (id int PRIMARY KEY, name text)");
        execute("INSERT INTO survivors VALUES (1, 'first')");
        assertEquals("first", queryString("SELECT name FROM survivors WHERE id = 1"));
        int port = postgres.port();

        postgres.stop();
        assertFalse(postgres.isRunning());
        assertThrows(SQLException.class, () -> queryString("SELECT 1"));
        postgres.stop(); // a no-op once stopped

        postgres.restart();
        assertTrue(postgres.isRunning());
        assertEquals(port, postgres.port());
        assertEquals("first", queryString("SELECT name FROM survivors WHERE id = 1"));
    }

    @Test
    void startingAgainOnTheSameDataDirReusesTheRunningServer() throws IOException, SQLException {
        String startedAt = queryString("SELECT pg_postmaster_start_time()::text");

        EmbeddedPostgres again = EmbeddedPostgres.start(dataDir, 0);

        assertEquals(postgres.port(), again.port());
        assertEquals(startedAt, queryString("SELECT pg_postmaster_start_time()::text"));
        again.createDatabaseIfMissing(DATABASE); // already there: no error
    }

    @Test
    void listensOnlyOnLoopbackAndDurably() throws SQLException {
        assertEquals("127.0.0.1", queryString("SHOW listen_addresses"));
        assertEquals("", queryString("SHOW unix_socket_directories"));
        assertEquals("on", queryString("SHOW fsync"));
        assertEquals("UTF8", queryString("SHOW server_encoding"));
        assertEquals("tidemark", postgres.user());
        assertEquals("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/x", postgres.jdbcUrl("x"));
        assertEquals("postgresql://127.0.0.1:" + postgres.port() + "/x", postgres.reactiveUrl("x"));
    }

    @Test
    void takesAnotherPortWhenThePreferredOneIsBusy() throws IOException, SQLException {
        Path otherData = scratch.resolve("other");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                EmbeddedPostgres other = EmbeddedPostgres.start(otherData, busy.getLocalPort())) {
            assertNotEquals(busy.getLocalPort(), other.port());
            try (Connection c = DriverManager.getConnection(other.jdbcUrl("postgres"), other.user(), "")) {
                assertTrue(c.isValid(5));
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String queryString(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(DATABASE), postgres.user(), "");
    }

    /**
     * Under target/, unless this JVM is root and nobody (who then runs PostgreSQL) cannot reach the checkout,
     * e.g. under /root: then under the system temp directory.
     */
    private static Path scratchDirectory() throws IOException {
        String name = "embedded-postgres-test-" + UUID.randomUUID();
        Path underTarget = Path.of("target", name).toAbsolutePath();
        Path scratch = EmbeddedPostgres.canUse(underTarget.resolve("data"))
                ? underTarget
                : Path.of(System.getProperty("java.io.tmpdir"), name);
        Files.createDirectories(scratch);
        return Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
