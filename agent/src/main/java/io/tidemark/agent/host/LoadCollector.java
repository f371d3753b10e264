package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** /proc/loadavg: {@code node_load1}, {@code node_load5}, {@code node_load15} (node_exporter's names). */
public final class LoadCollector implements Collector {

    private final ProcFs fs;

    public LoadCollector(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "load";
    }

    @Override
    public List<Point> collect(long nowMs) throws IOException {
        String[] f = fs.text("loadavg").trim().split("\\s+");
        return List.of(Point.gauge("node_load1", Map.of(), nowMs, Double.parseDouble(f[0])),
                Point.gauge("node_load5", Map.of(), nowMs, Double.parseDouble(f[1])),
                Point.gauge("node_load15", Map.of(), nowMs, Double.parseDouble(f[2])));
    }
}
