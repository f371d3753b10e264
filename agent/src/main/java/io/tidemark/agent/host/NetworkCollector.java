package io.tidemark.agent.host;

import io.tidemark.agent.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * /proc/net/dev per interface ({@code node_network_receive_bytes_total}, ..._packets, ..._errs, ..._drop and the
 * transmit side, node_exporter's names) and, where /sys/class/net has the interface, {@code node_network_up}
 * (operstate "up") and {@code node_network_mtu_bytes}. Old kernels print {@code eth0:123} without a space.
 */
public final class NetworkCollector implements Collector {

    private static final String[] RECEIVE = { "bytes", "packets", "errs", "drop" };
    private static final String[] TRANSMIT = { "bytes", "packets", "errs", "drop" };

    private final ProcFs fs;

    public NetworkCollector(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public List<Point> collect(long nowMs) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : fs.linesIfPresent("net/dev")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue; // the two header lines
            }
            String device = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            Map<String, String> labels = Map.of("device", device);
            for (int i = 0; i < RECEIVE.length; i++) {
                points.add(Point.counter("node_network_receive_" + RECEIVE[i] + "_total", labels, nowMs,
                        Double.parseDouble(f[i])));
            }
            for (int i = 0; i < TRANSMIT.length; i++) {
                points.add(Point.counter("node_network_transmit_" + TRANSMIT[i] + "_total", labels, nowMs,
                        Double.parseDouble(f[8 + i])));
            }
            Path sysDir = fs.sys().resolve("class/net").resolve(device);
            String operstate = readFirstLine(sysDir.resolve("operstate"));
            if (operstate != null) {
                points.add(Point.gauge("node_network_up", labels, nowMs, operstate.equals("up") ? 1 : 0));
            }
            String mtu = readFirstLine(sysDir.resolve("mtu"));
            if (mtu != null) {
                points.add(Point.gauge("node_network_mtu_bytes", labels, nowMs, Double.parseDouble(mtu)));
            }
        }
        return points;
    }

    private static String readFirstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? null : lines.get(0).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
