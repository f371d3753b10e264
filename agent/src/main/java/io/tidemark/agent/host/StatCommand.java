package io.tidemark.agent.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * statfs(2) through coreutils' {@code stat -f}, one process for every mount point: Java has no API for inode
 * counts, and this keeps the agent free of native code. A mount that hangs (a dead NFS server) cannot hold the
 * agent longer than the timeout.
 */
public final class StatCommand implements FilesystemCollector.Statfs {

    private static final long TIMEOUT_SECONDS = 5;

    @Override
    public Map<String, FilesystemCollector.FsStats> stat(List<String> mountPoints) throws IOException {
        Map<String, FilesystemCollector.FsStats> stats = new HashMap<>();
        if (mountPoints.isEmpty()) {
            return stats;
        }
        List<String> command = new ArrayList<>(List.of("stat", "-f", "-c", "%S %b %f %a %c %d %n", "--"));
        command.addAll(mountPoints);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        String output;
        try {
            // the answer (~100 bytes per mount) fits the pipe, so waiting first cannot deadlock
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("stat -f did not finish within " + TIMEOUT_SECONDS + " s");
            }
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stat -f", e);
        }
        for (String line : output.split("\n")) {
            String[] f = line.split(" ", 7);
            if (f.length < 7) {
                continue;
            }
            try {
                stats.put(f[6], new FilesystemCollector.FsStats(Long.parseLong(f[0]), Long.parseLong(f[1]),
                        Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])));
            } catch (NumberFormatException e) {
                // a mount point whose name holds a newline: skipped
            }
        }
        return stats;
    }
}
