package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /proc/meminfo as node_exporter names it ({@code node_memory_<Field>_bytes}) for the fields that matter, plus two
 * Tidemark additions: {@code node_memory_used_bytes} (MemTotal - MemAvailable) and
 * {@code node_memory_swap_used_bytes} (SwapTotal - SwapFree). Kernels before 3.14 have no MemAvailable: it is then
 * estimated as MemFree + Buffers + Cached.
 */
public final class MemoryCollector implements Collector {

    private static final List<String> FIELDS = List.of("MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
            "SwapCached", "SwapTotal", "SwapFree", "Shmem", "Dirty");

    private final ProcFs fs;

    public MemoryCollector(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public List<Point> collect(long nowMs) throws IOException {
        Map<String, Double> bytes = new HashMap<>();
        for (String line : fs.lines("meminfo")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            double value = Double.parseDouble(f[0]);
            if (f.length > 1 && f[1].equals("kB")) {
                value *= 1024;
            }
            bytes.put(line.substring(0, colon), value);
        }
        if (!bytes.containsKey("MemAvailable") && bytes.containsKey("MemFree")) {
            bytes.put("MemAvailable", bytes.get("MemFree") + bytes.getOrDefault("Buffers", 0.0)
                    + bytes.getOrDefault("Cached", 0.0));
        }
        List<Point> points = new ArrayList<>();
        for (String field : FIELDS) {
            Double value = bytes.get(field);
            if (value != null) {
                points.add(Point.gauge("node_memory_" + field + "_bytes", Map.of(), nowMs, value));
            }
        }
        if (bytes.containsKey("MemTotal")) {
            points.add(Point.gauge("node_memory_used_bytes", Map.of(), nowMs,
                    bytes.get("MemTotal") - bytes.get("MemAvailable")));
        }
        if (bytes.containsKey("SwapTotal") && bytes.containsKey("SwapFree")) {
            points.add(Point.gauge("node_memory_swap_used_bytes", Map.of(), nowMs,
                    bytes.get("SwapTotal") - bytes.get("SwapFree")));
        }
        return points;
    }
}
