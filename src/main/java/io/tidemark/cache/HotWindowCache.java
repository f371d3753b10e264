package io.tidemark.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Redis storage of closed query buckets, and their invalidation. Every call is bounded by
 * {@code tidemark.cache.redis-timeout} and never fails: without Redis, reads find nothing and writes are dropped.
 *
 * <p>Keys: {@code tidemark:cache:b:<generation>:<epoch>:<shape>:<bucket start>}. The epoch belongs to a (tenant,
 * metric) and is incremented after a late sample of that metric committed; a query reads it before reading samples,
 * so what it caches under an epoch never misses a sample committed before that epoch was bumped. The generation is
 * global: a replica that could not bump an epoch (Redis away) bumps it once Redis answers again, before it uses the
 * cache, which drops every entry at once.
 */
@Singleton
public class HotWindowCache {

    private static final Logger LOG = Logger.getLogger(HotWindowCache.class);
    static final String GENERATION_KEY = "tidemark:cache:generation";

    /** Where a query's buckets live in Redis; read once per query, before any sample. */
    public record Snapshot(long generation, long epoch) {
    }

    private final Redis redis;
    private final RedisAvailability availability;
    private final CacheConfig config;
    private final AtomicLong missedInvalidations = new AtomicLong();
    private final Counter bytesRead;
    private final Counter bytesWritten;
    private final Counter errors;
    private final Counter invalidations;

    public HotWindowCache(ReactiveRedisDataSource redis, RedisAvailability availability, CacheConfig config,
            MeterRegistry meters) {
        this.redis = redis.getRedis();
        this.availability = availability;
        this.config = config;
        this.bytesRead = Counter.builder("tidemark.query.cache.read").baseUnit("bytes")
                .description("Bytes of cached buckets read from Redis").register(meters);
        this.bytesWritten = Counter.builder("tidemark.query.cache.written").baseUnit("bytes")
                .description("Bytes of closed buckets written to Redis").register(meters);
        this.errors = Counter.builder("tidemark.query.cache.errors")
                .description("Redis calls that failed or timed out (the query went on without the cache)").register(meters);
        this.invalidations = Counter.builder("tidemark.query.cache.invalidations")
                .description("Metric epochs bumped because a late sample committed").register(meters);
    }

    public boolean enabled() {
        return config.enabled();
    }

    public long settleMs() {
        return config.settle().toMillis();
    }

    /** The snapshot for a metric's buckets, or null when the cache cannot be used right now. */
    public Uni<Snapshot> snapshot(String tenant, String metric) {
        if (!config.enabled() || !availability.isAvailable()) {
            return Uni.createFrom().nullItem();
        }
        long missed = missedInvalidations.get();
        Uni<Void> clean = missed == 0 ? Uni.createFrom().voidItem()
                : call(Request.cmd(Command.INCR).arg(GENERATION_KEY)).invoke(() -> {
                    if (missedInvalidations.compareAndSet(missed, 0)) {
                        LOG.infof("dropped the query cache (new generation): %d late-sample invalidations could not "
                                + "reach Redis", missed);
                    }
                }).replaceWithVoid();
        return clean.chain(() -> call(Request.cmd(Command.MGET).arg(GENERATION_KEY).arg(epochKey(tenant, metric))))
                .map(r -> missedInvalidations.get() != 0 ? null : new Snapshot(toLong(r.get(0)), toLong(r.get(1))))
                .onFailure().recoverWithNull();
    }

    /** The cached encodings of the given buckets; null where a bucket is not cached (all null on failure). */
    public Uni<byte[][]> get(Snapshot snapshot, String shape, long[] buckets) {
        byte[][] found = new byte[buckets.length][];
        if (buckets.length == 0) {
            return Uni.createFrom().item(found);
        }
        Request mget = Request.cmd(Command.MGET);
        for (long bucket : buckets) {
            mget.arg(bucketKey(snapshot, shape, bucket));
        }
        return call(mget).map(r -> {
            long bytes = 0;
            for (int i = 0; i < buckets.length; i++) {
                Response entry = r.get(i);
                if (entry != null) {
                    found[i] = entry.toBytes();
                    bytes += found[i].length;
                }
            }
            bytesRead.increment(bytes);
            return found;
        }).onFailure().recoverWithItem(() -> new byte[buckets.length][]);
    }

    /** Stores closed buckets (entries larger than {@code max-bucket-bytes} are skipped). */
    public Uni<Void> put(Snapshot snapshot, String shape, long[] buckets, byte[][] encoded) {
        List<Request> sets = new ArrayList<>(buckets.length);
        long bytes = 0;
        for (int i = 0; i < buckets.length; i++) {
            if (encoded[i].length > config.maxBucketBytes()) {
                continue;
            }
            sets.add(Request.cmd(Command.SET).arg(bucketKey(snapshot, shape, buckets[i])).arg(encoded[i]).arg("PX")
                    .arg(config.ttl().toMillis()));
            bytes += encoded[i].length;
        }
        if (sets.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long written = bytes;
        return bounded(redis.batch(sets)).invoke(() -> bytesWritten.increment(written)).replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    /**
     * Called after samples committed and before they are acknowledged: bumps the epoch of every metric that received a
     * late sample. If Redis cannot be told, the whole cache is dropped before it is used again.
     */
    public Uni<Void> invalidate(String tenant, Set<String> metrics) {
        if (metrics.isEmpty() || !config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        if (!availability.isAvailable()) {
            missedInvalidations.incrementAndGet();
            return Uni.createFrom().voidItem();
        }
        List<Request> bumps = new ArrayList<>(metrics.size());
        for (String metric : metrics) {
            bumps.add(Request.cmd(Command.INCR).arg(epochKey(tenant, metric)));
        }
        return bounded(redis.batch(bumps)).invoke(() -> invalidations.increment(bumps.size())).replaceWithVoid()
                .onFailure().recoverWithUni(() -> {
                    missedInvalidations.incrementAndGet();
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Response> call(Request request) {
        return bounded(redis.send(request));
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(config.redisTimeout()).fail().onFailure().invoke(failure -> {
            errors.increment();
            LOG.debugf("Redis call failed: %s", failure);
            availability.markDown(failure);
        });
    }

    private static String epochKey(String tenant, String metric) {
        return "tidemark:cache:epoch:" + tenant + ":" + metric;
    }

    private static String bucketKey(Snapshot snapshot, String shape, long bucket) {
        return "tidemark:cache:b:" + snapshot.generation() + ":" + snapshot.epoch() + ":" + shape + ":" + bucket;
    }

    private static long toLong(Response r) {
        return r == null ? 0 : Long.parseLong(r.toString());
    }
}
