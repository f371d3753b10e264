package io.tidemark.remote;

import io.tidemark.ingest.IncomingSeries;
import io.tidemark.remote.proto.Label;
import io.tidemark.remote.proto.MetricMetadata;
import io.tidemark.remote.proto.Sample;
import io.tidemark.remote.proto.TimeSeries;
import io.tidemark.remote.proto.WriteRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A remote-write {@link WriteRequest} as the ingest path's {@link IncomingSeries}: {@code __name__} becomes the
 * metric name, the other labels stay labels, values keep their exact bits (a staleness marker stays one), and the
 * request's metadata gives each series of its family a type, unit and help.
 */
public final class WriteRequestMapping {

    private static final String NAME = "__name__";

    private WriteRequestMapping() {
    }

    public static List<IncomingSeries> toIncoming(WriteRequest request) {
        Map<String, MetricMetadata> families = new HashMap<>();
        for (MetricMetadata m : request.getMetadataList()) {
            families.put(m.getMetricFamilyName(), m);
        }
        List<IncomingSeries> out = new ArrayList<>(request.getTimeseriesCount());
        for (TimeSeries ts : request.getTimeseriesList()) {
            String name = "";
            Map<String, String> labels = new LinkedHashMap<>();
            for (Label l : ts.getLabelsList()) {
                if (NAME.equals(l.getName())) {
                    name = l.getValue();
                } else {
                    labels.put(l.getName(), l.getValue());
                }
            }
            int n = ts.getSamplesCount();
            long[] timestamps = new long[n];
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                Sample s = ts.getSamples(i);
                timestamps[i] = s.getTimestamp();
                values[i] = s.getValue();
            }
            MetricMetadata meta = familyOf(name, families);
            out.add(new IncomingSeries(name, labels, timestamps, values,
                    meta == null ? "" : type(meta.getType()), meta == null ? "" : meta.getUnit(),
                    meta == null ? "" : meta.getHelp()));
        }
        return out;
    }

    /** The metadata of a series' family: its own name, or the name without a histogram/summary/counter suffix. */
    private static MetricMetadata familyOf(String name, Map<String, MetricMetadata> families) {
        if (families.isEmpty()) {
            return null;
        }
        MetricMetadata exact = families.get(name);
        if (exact != null) {
            return exact;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count", "_total", "_created")) {
            if (name.endsWith(suffix)) {
                MetricMetadata family = families.get(name.substring(0, name.length() - suffix.length()));
                if (family != null) {
                    return family;
                }
            }
        }
        return null;
    }

    /** Tidemark's metric types are gauge, counter, histogram and summary; the others carry no type. */
    private static String type(MetricMetadata.MetricType type) {
        return switch (type) {
            case COUNTER, GAUGE, HISTOGRAM, SUMMARY -> type.name().toLowerCase(Locale.ROOT);
            default -> "";
        };
    }
}
