package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Uptime and processes: from /proc/stat {@code node_boot_time_seconds}, {@code node_context_switches_total},
 * {@code node_forks_total}, {@code node_intr_total}, {@code node_procs_running}, {@code node_procs_blocked}; the
 * number of /proc/[pid] directories as {@code node_processes_pids} and of threads (/proc/loadavg) as
 * {@code node_processes_threads} (node_exporter's names); {@code node_uptime_seconds} from /proc/uptime (a Tidemark
 * addition: node_exporter leaves it to {@code time() - node_boot_time_seconds}).
 */
public final class SystemCollector implements Collector {

    private final ProcFs fs;

    public SystemCollector(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "system";
    }

    @Override
    public List<Point> collect(long nowMs) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : fs.lines("stat")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            switch (f[0]) {
                case "btime" -> points.add(Point.gauge("node_boot_time_seconds", Map.of(), nowMs, Double.parseDouble(f[1])));
                case "ctxt" -> points.add(Point.counter("node_context_switches_total", Map.of(), nowMs,
                        Double.parseDouble(f[1])));
                case "processes" -> points.add(Point.counter("node_forks_total", Map.of(), nowMs, Double.parseDouble(f[1])));
                case "intr" -> points.add(Point.counter("node_intr_total", Map.of(), nowMs, Double.parseDouble(f[1])));
                case "procs_running" -> points.add(Point.gauge("node_procs_running", Map.of(), nowMs,
                        Double.parseDouble(f[1])));
                case "procs_blocked" -> points.add(Point.gauge("node_procs_blocked", Map.of(), nowMs,
                        Double.parseDouble(f[1])));
                default -> {
                }
            }
        }
        List<String> uptime = fs.linesIfPresent("uptime");
        if (!uptime.isEmpty()) {
            points.add(Point.gauge("node_uptime_seconds", Map.of(), nowMs,
                    Double.parseDouble(uptime.get(0).trim().split("\\s+")[0])));
        }
        List<String> loadavg = fs.linesIfPresent("loadavg");
        if (!loadavg.isEmpty()) {
            String[] f = loadavg.get(0).trim().split("\\s+");
            if (f.length > 3 && f[3].contains("/")) {
                points.add(Point.gauge("node_processes_threads", Map.of(), nowMs,
                        Double.parseDouble(f[3].substring(f[3].indexOf('/') + 1))));
            }
        }
        points.add(Point.gauge("node_processes_pids", Map.of(), nowMs, countPidDirectories(fs.proc())));
        return points;
    }

    private static double countPidDirectories(Path proc) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0)) && name.chars().allMatch(Character::isDigit)) {
                    count++;
                }
            }
        }
        return count;
    }
}
