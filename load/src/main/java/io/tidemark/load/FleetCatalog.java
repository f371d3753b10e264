package io.tidemark.load;

import java.util.Map;

/** The simulated fleet's series identities: metric names and per-host labels, built once and shared. */
final class FleetCatalog {

    private static final String[] REGIONS = {"region-a", "region-b", "region-c", "region-d"};
    private static final int SERVICES = 10;

    private final String[] metricNames;
    private final Map<String, String>[] hostLabels;

    @SuppressWarnings("unchecked")
    FleetCatalog(int hosts, int metrics) {
        metricNames = new String[metrics];
        for (int m = 0; m < metrics; m++) {
            metricNames[m] = String.format("node_metric_%03d", m);
        }
        hostLabels = new Map[hosts];
        for (int h = 0; h < hosts; h++) {
            hostLabels[h] = Map.of(
                    "host", String.format("host-%04d", h + 1),
                    "region", REGIONS[h % REGIONS.length],
                    "service", "svc-" + (h % SERVICES));
        }
    }

    int hosts() {
        return hostLabels.length;
    }

    int metrics() {
        return metricNames.length;
    }

    String metricName(int metric) {
        return metricNames[metric];
    }

    /** Labels of host {@code host} (0-based: host-0001 is host 0). */
    Map<String, String> labels(int host) {
        return hostLabels[host];
    }
}
