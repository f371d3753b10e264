package io.tidemark.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Series ids known to be stored, held in a bounded in-memory cache with the series' check hash.
 * An id that is not cached is upserted with the samples that use it; an id cached with another
 * check hash is a collision and its samples are refused.
 */
@Singleton
public class SeriesRegistry {

    public enum Status {
        KNOWN, UNKNOWN, COLLISION
    }

    private final KnownSeriesCache knownSeries;
    private final Cache<String, String> knownMetadata;
    private final SeriesCounts counts = new SeriesCounts();
    private final Counter seriesCreated;

    public SeriesRegistry(StorageConfig config, MeterRegistry meters) {
        knownSeries = new KnownSeriesCache(config.seriesCacheSize());
        knownMetadata = Caffeine.newBuilder().maximumSize(100_000).build();
        seriesCreated = Counter.builder("tidemark.series.created")
                .description("Series ids first written by this instance (upserted with their samples)")
                .register(meters);
    }

    public Status lookup(SeriesKey key) {
        long check = knownSeries.checkOf(key.id());
        if (check == 0) {
            return Status.UNKNOWN;
        }
        return check == cachedCheck(key) ? Status.KNOWN : Status.COLLISION;
    }

    /** Series stored per tenant and metric name, for the series limits. */
    public SeriesCounts counts() {
        return counts;
    }

    /** Called only after the transaction that stored the series committed. */
    void remember(SeriesKey key, boolean created) {
        knownSeries.put(key.id(), cachedCheck(key));
        if (created) {
            seriesCreated.increment();
            counts.added(key.tenant(), key.name());
        }
    }

    /** The cache reads 0 as "absent", so a check hash of 0 is kept as 1. */
    private static long cachedCheck(SeriesKey key) {
        return key.checkHash() == 0 ? 1 : key.checkHash();
    }

    boolean isKnown(MetricMetadata m) {
        return fingerprint(m).equals(knownMetadata.getIfPresent(m.tenant() + '\u0000' + m.name()));
    }

    void remember(MetricMetadata m) {
        knownMetadata.put(m.tenant() + '\u0000' + m.name(), fingerprint(m));
    }

    private static String fingerprint(MetricMetadata m) {
        return m.type() + '\u0000' + m.unit() + '\u0000' + m.help();
    }
}
