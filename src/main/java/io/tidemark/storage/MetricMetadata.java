package io.tidemark.storage;

/** Type, unit and help of a metric name within a tenant; empty strings when not given. */
public record MetricMetadata(String tenant, String name, String type, String unit, String help) {
}
