package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * /proc/stat's cpu lines: {@code node_cpu_seconds_total{cpu,mode}} (node_exporter's names) and the machine's
 * utilisation since the previous collection, {@code node_cpu_utilisation_ratio} (0..1, a Tidemark addition).
 * Kernels before 2.6.11 lack steal, before 2.6.24 guest, before 2.6.33 guest_nice: absent columns are skipped.
 */
public final class CpuCollector implements Collector {

    /** Clock ticks per second of /proc/stat (USER_HZ), 100 on every mainstream architecture. */
    static final double USER_HZ = 100.0;
    private static final String[] MODES = { "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal" };

    private final ProcFs fs;
    private long previousBusy = -1;
    private long previousTotal = -1;

    public CpuCollector(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public List<Point> collect(long nowMs) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : fs.lines("stat")) {
            if (!line.startsWith("cpu")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            long[] ticks = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                ticks[i - 1] = Long.parseLong(f[i]);
            }
            if (f[0].equals("cpu")) {
                utilisation(ticks, nowMs, points);
                continue;
            }
            String cpu = f[0].substring(3);
            for (int m = 0; m < MODES.length && m < ticks.length; m++) {
                points.add(Point.counter("node_cpu_seconds_total", Map.of("cpu", cpu, "mode", MODES[m]), nowMs,
                        ticks[m] / USER_HZ));
            }
            if (ticks.length > 8) {
                points.add(Point.counter("node_cpu_guest_seconds_total", Map.of("cpu", cpu, "mode", "user"), nowMs,
                        ticks[8] / USER_HZ));
            }
            if (ticks.length > 9) {
                points.add(Point.counter("node_cpu_guest_seconds_total", Map.of("cpu", cpu, "mode", "nice"), nowMs,
                        ticks[9] / USER_HZ));
            }
        }
        return points;
    }

    /** Busy share of all ticks since the last call; guest time is already counted in user and nice. */
    private void utilisation(long[] ticks, long nowMs, List<Point> points) {
        long total = 0;
        for (int i = 0; i < Math.min(ticks.length, 8); i++) {
            total += ticks[i];
        }
        long idle = ticks[3] + (ticks.length > 4 ? ticks[4] : 0);
        long busy = total - idle;
        if (previousTotal >= 0 && total > previousTotal) {
            double ratio = (double) (busy - previousBusy) / (total - previousTotal);
            points.add(Point.gauge("node_cpu_utilisation_ratio", Map.of(), nowMs, Math.max(0, Math.min(1, ratio))));
        }
        previousBusy = busy;
        previousTotal = total;
    }
}
