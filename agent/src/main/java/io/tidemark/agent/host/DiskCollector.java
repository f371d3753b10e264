package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * /proc/diskstats per device, with node_exporter's names and its default exclusion of partitions, ram, loop and
 * floppy devices. Kernels before 4.18 have 14 fields per line, 4.18+ adds discards (18), 5.5+ flushes (20);
 * the metrics of absent fields are not sent.
 */
public final class DiskCollector implements Collector {

    static final Pattern EXCLUDED = Pattern.compile("^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$");
    private static final double SECTOR = 512.0;

    private final ProcFs fs;

    public DiskCollector(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public List<Point> collect(long nowMs) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : fs.linesIfPresent("diskstats")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 14) {
                continue; // 2.6-era partition lines carry 4 counters only; partitions are excluded anyway
            }
            String device = f[2];
            if (EXCLUDED.matcher(device).matches()) {
                continue;
            }
            Map<String, String> labels = Map.of("device", device);
            counter(points, "node_disk_reads_completed_total", labels, nowMs, f[3], 1);
            counter(points, "node_disk_reads_merged_total", labels, nowMs, f[4], 1);
            counter(points, "node_disk_read_bytes_total", labels, nowMs, f[5], SECTOR);
            counter(points, "node_disk_read_time_seconds_total", labels, nowMs, f[6], 0.001);
            counter(points, "node_disk_writes_completed_total", labels, nowMs, f[7], 1);
            counter(points, "node_disk_writes_merged_total", labels, nowMs, f[8], 1);
            counter(points, "node_disk_written_bytes_total", labels, nowMs, f[9], SECTOR);
            counter(points, "node_disk_write_time_seconds_total", labels, nowMs, f[10], 0.001);
            points.add(Point.gauge("node_disk_io_now", labels, nowMs, Double.parseDouble(f[11])));
            counter(points, "node_disk_io_time_seconds_total", labels, nowMs, f[12], 0.001);
            counter(points, "node_disk_io_time_weighted_seconds_total", labels, nowMs, f[13], 0.001);
            if (f.length >= 18) {
                counter(points, "node_disk_discards_completed_total", labels, nowMs, f[14], 1);
                counter(points, "node_disk_discards_merged_total", labels, nowMs, f[15], 1);
                counter(points, "node_disk_discarded_sectors_total", labels, nowMs, f[16], 1);
                counter(points, "node_disk_discard_time_seconds_total", labels, nowMs, f[17], 0.001);
            }
            if (f.length >= 20) {
                counter(points, "node_disk_flush_requests_total", labels, nowMs, f[18], 1);
                counter(points, "node_disk_flush_requests_time_seconds_total", labels, nowMs, f[19], 0.001);
            }
        }
        return points;
    }

    private static void counter(List<Point> points, String name, Map<String, String> labels, long nowMs, String field,
            double scale) {
        points.add(Point.counter(name, labels, nowMs, Double.parseDouble(field) * scale));
    }
}
