package io.tidemark.ingest;

import io.smallrye.mutiny.Uni;
import io.tidemark.storage.SampleBatch;
import io.tidemark.storage.SeriesCensus;
import io.tidemark.storage.SeriesCounts;
import io.tidemark.storage.SeriesKey;
import io.tidemark.storage.SeriesRegistry;
import io.tidemark.storage.StorageUnavailableException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the {@link SeriesLimits} to a validated batch. Series the registry knows pass with one cache lookup;
 * only series unknown to it are counted against the in-memory {@link SeriesCounts}. When some of those would go
 * over a limit, one primary-key lookup tells which are stored already (evicted from the cache, stored before a
 * restart or by another replica): those pass, and only series that are really new are refused.
 */
@Singleton
public class SeriesLimitGate {

    /** The batch to store (without the refused series) and one rejection per refused series. */
    public record Admitted(SampleBatch batch, List<Rejection> refused) {
    }

    private final SeriesLimits limits;
    private final SeriesRegistry registry;
    private final SeriesCounts counts;
    private final SeriesCensus census;

    public SeriesLimitGate(IngestConfig config, SeriesRegistry registry, SeriesCensus census) {
        this.limits = SeriesLimits.from(config);
        this.registry = registry;
        this.counts = registry.counts();
        this.census = census;
    }

    public Uni<Admitted> admit(String tenant, SampleBatch batch) {
        batch.forgetKnownKeys(registry);
        Map<Long, SeriesKey> unknown = null;
        for (int slot = 0; slot < batch.seriesCount(); slot++) {
            SeriesKey key = batch.series(slot);
            // a cached collision is refused by storage and creates nothing: it does not count
            if (key != null && registry.lookup(key) == SeriesRegistry.Status.UNKNOWN) {
                if (unknown == null) {
                    unknown = new LinkedHashMap<>();
                }
                unknown.putIfAbsent(key.id(), key);
            }
        }
        if (unknown == null) {
            return Uni.createFrom().item(new Admitted(batch, List.of()));
        }
        List<SeriesKey> candidates = new ArrayList<>(unknown.values());
        if (limits.refusals(tenant, candidates, counts).isEmpty()) {
            return Uni.createFrom().item(new Admitted(batch, List.of()));
        }
        Long[] ids = unknown.keySet().toArray(new Long[0]);
        return census.storedAmong(ids)
                .onFailure().transform(f -> new StorageUnavailableException(
                        "PostgreSQL did not answer the series lookup of the series limits: " + f.getMessage(), f))
                .map(stored -> {
                    List<SeriesKey> fresh = new ArrayList<>(candidates.size());
                    for (SeriesKey key : candidates) {
                        if (!stored.contains(key.id())) {
                            fresh.add(key);
                        }
                    }
                    Map<Long, String> refusals = limits.refusals(tenant, fresh, counts);
                    return refusals.isEmpty() ? new Admitted(batch, List.of()) : refuse(batch, refusals);
                });
    }

    private static Admitted refuse(SampleBatch batch, Map<Long, String> refusals) {
        int[] samples = new int[batch.seriesCount()];
        for (int i = 0; i < batch.size(); i++) {
            samples[batch.seriesOf(i)]++;
        }
        Set<Integer> slots = new HashSet<>();
        List<Rejection> rejections = new ArrayList<>();
        for (int slot = 0; slot < batch.seriesCount(); slot++) {
            SeriesKey key = batch.series(slot);
            String reason = key == null ? null : refusals.get(key.id());
            if (reason != null) {
                slots.add(slot);
                int index = batch.sourceIndex(slot);
                rejections.add(Rejection.ofSeries(index, samples[slot], "series[" + index + "]",
                        RejectCode.CARDINALITY_LIMIT, reason));
            }
        }
        return new Admitted(batch.withoutSeries(slots), rejections);
    }
}
