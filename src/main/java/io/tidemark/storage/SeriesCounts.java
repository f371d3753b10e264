package io.tidemark.storage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Series stored per tenant and per (tenant, metric name), held in memory for the series limits: read on the
 * ingest path without a query, incremented when a flush creates a series, and replaced wholesale by a periodic
 * count of the {@code series} table (which also covers series other replicas created).
 * A series created while a replacement is being counted may be missed until the next one: counts are
 * approximate between refreshes, never drifting for longer.
 */
public final class SeriesCounts {

    /** One row of {@code SELECT tenant, name, count(*) FROM series GROUP BY 1, 2}. */
    public record Count(String tenant, String name, long series) {
    }

    private static final class TenantCounts {
        final AtomicLong total = new AtomicLong();
        final Map<String, AtomicLong> byMetric = new ConcurrentHashMap<>();
    }

    private volatile Map<String, TenantCounts> tenants = new ConcurrentHashMap<>();

    public long ofTenant(String tenant) {
        TenantCounts t = tenants.get(tenant);
        return t == null ? 0 : t.total.get();
    }

    public long ofMetric(String tenant, String name) {
        TenantCounts t = tenants.get(tenant);
        if (t == null) {
            return 0;
        }
        AtomicLong n = t.byMetric.get(name);
        return n == null ? 0 : n.get();
    }

    /** A flush committed a new row of {@code series}. */
    public void added(String tenant, String name) {
        TenantCounts t = tenants.computeIfAbsent(tenant, k -> new TenantCounts());
        t.byMetric.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
        t.total.incrementAndGet();
    }

    /** Replaces every count with those read from the {@code series} table; tenants and metrics not listed read 0. */
    public void replaceWith(List<Count> counts) {
        Map<String, TenantCounts> fresh = new ConcurrentHashMap<>();
        for (Count c : counts) {
            TenantCounts t = fresh.computeIfAbsent(c.tenant(), k -> new TenantCounts());
            t.byMetric.computeIfAbsent(c.name(), k -> new AtomicLong()).addAndGet(c.series());
            t.total.addAndGet(c.series());
        }
        tenants = fresh;
    }
}
