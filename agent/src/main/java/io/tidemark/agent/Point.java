package io.tidemark.agent;

import io.tidemark.proto.v1.MetricType;
import java.util.Map;

/** One collected sample of one series, before batching. */
public record Point(String name, Map<String, String> labels, MetricType type, long timestampMs, double value) {

    public static Point gauge(String name, Map<String, String> labels, long timestampMs, double value) {
        return new Point(name, labels, MetricType.METRIC_TYPE_GAUGE, timestampMs, value);
    }

    public static Point counter(String name, Map<String, String> labels, long timestampMs, double value) {
        return new Point(name, labels, MetricType.METRIC_TYPE_COUNTER, timestampMs, value);
    }
}
