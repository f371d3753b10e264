package io.tidemark.ingest;

import io.tidemark.storage.SeriesCounts;
import io.tidemark.storage.SeriesKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series limits as plain values, and which new series of a batch fit under them (testable without a server).
 * A new series fits while its tenant and its metric name are below their limits; the series admitted earlier in
 * the same batch count against the later ones. The tenant limit is checked first.
 */
public record SeriesLimits(long maxPerTenant, long maxPerMetric) {

    public static SeriesLimits from(IngestConfig config) {
        return new SeriesLimits(config.maxSeriesPerTenant(), config.maxSeriesPerMetric());
    }

    /**
     * The reason for refusing each series of {@code newSeries} (distinct series not stored yet, in batch order) that
     * does not fit, by series id; the series that fit are absent.
     */
    public Map<Long, String> refusals(String tenant, List<SeriesKey> newSeries, SeriesCounts counts) {
        if (newSeries.isEmpty()) {
            return Map.of();
        }
        long tenantSeries = counts.ofTenant(tenant);
        Map<String, Long> metricSeries = new HashMap<>();
        Map<Long, String> refused = new LinkedHashMap<>();
        for (SeriesKey key : newSeries) {
            long ofMetric = metricSeries.computeIfAbsent(key.name(), name -> counts.ofMetric(tenant, name));
            if (tenantSeries >= maxPerTenant) {
                refused.put(key.id(), "series limit reached: tenant " + quote(tenant) + " has " + tenantSeries
                        + " series (limit " + maxPerTenant + ", tidemark.ingest.max-series-per-tenant)");
            } else if (ofMetric >= maxPerMetric) {
                refused.put(key.id(), "series limit reached: metric " + quote(key.name()) + " of tenant " + quote(tenant)
                        + " has " + ofMetric + " series (limit " + maxPerMetric + ", tidemark.ingest.max-series-per-metric)");
            } else {
                tenantSeries++;
                metricSeries.put(key.name(), ofMetric + 1);
            }
        }
        return refused;
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }
}
