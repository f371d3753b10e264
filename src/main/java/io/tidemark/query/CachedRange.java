package io.tidemark.query;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tidemark.cache.HotWindowCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Range queries through the Redis cache of closed buckets: cached buckets are read, only the missing ones (on a
 * dashboard refresh: the new tail) are computed from PostgreSQL, and the newly closed ones are written back.
 * Without Redis the whole query is computed; the answer is the same either way.
 */
final class CachedRange {

    private final HotWindowCache cache;
    private final Clock clock;
    private final Counter hits;
    private final Counter misses;

    CachedRange(HotWindowCache cache, Clock clock, MeterRegistry meters) {
        this.cache = cache;
        this.clock = clock;
        this.hits = Counter.builder("tidemark.query.cache.hits")
                .description("Closed buckets answered from the Redis cache").register(meters);
        this.misses = Counter.builder("tidemark.query.cache.misses")
                .description("Closed buckets not in the cache, computed from PostgreSQL").register(meters);
    }

    /** Queries with a metric name and no series limit are cached; others always compute everything. */
    boolean cacheable(RangeQuery q) {
        return cache.enabled() && !q.selector().metric().isEmpty() && q.limit() <= 0;
    }

    Uni<List<ResultSeries>> answer(RangeQuery q, Function<RangeQuery, Uni<List<ResultSeries>>> compute) {
        // "now" is taken before the epoch and the samples are read (see HotWindowCache)
        long closedEnd = CachePlan.closedEnd(q, clock.millis(), cache.settleMs());
        if (closedEnd == q.firstBucket()) {
            return compute.apply(q);
        }
        return cache.snapshot(q.tenant(), q.selector().metric()).chain(snapshot -> {
            if (snapshot == null) {
                return compute.apply(q);
            }
            String shape = shapeOf(q);
            long[] closed = CachePlan.closedBuckets(q, closedEnd);
            return cache.get(snapshot, shape, closed).emitOn(Infrastructure.getDefaultWorkerPool()).chain(found -> {
                Map<Long, List<ResultSeries>> segments = new TreeMap<>();
                boolean[] cached = new boolean[closed.length];
                for (int i = 0; i < closed.length; i++) {
                    if (found[i] != null) {
                        try {
                            segments.put(closed[i], pointsAt(closed[i], BucketCodec.decode(found[i])));
                            cached[i] = true;
                        } catch (IllegalArgumentException corrupt) {
                            cached[i] = false; // recomputed and overwritten
                        }
                    }
                }
                int hit = countTrue(cached);
                hits.increment(hit);
                misses.increment(closed.length - hit);
                List<CachePlan.Run> runs = CachePlan.runs(q, closed, cached, closedEnd);
                if (runs.isEmpty()) {
                    return Uni.createFrom().item(ResultSeries.concat(segments.values()));
                }
                List<Uni<List<ResultSeries>>> computations = runs.stream()
                        .map(run -> compute.apply(q.buckets(run.fromMs(), run.toMs())))
                        .toList();
                return Uni.join().all(computations).andFailFast().chain(results -> {
                    List<Long> toStore = new ArrayList<>();
                    List<byte[]> encoded = new ArrayList<>();
                    for (int r = 0; r < runs.size(); r++) {
                        CachePlan.Run run = runs.get(r);
                        segments.put(run.fromMs(), results.get(r));
                        closedBucketsOf(run, closedEnd, q.stepMs(), results.get(r), toStore, encoded);
                    }
                    List<ResultSeries> answer = ResultSeries.concat(segments.values());
                    return cache.put(snapshot, shape, toStore.stream().mapToLong(Long::longValue).toArray(),
                            encoded.toArray(byte[][]::new)).replaceWith(answer);
                });
            });
        });
    }

    /** Encodes each closed bucket of a computed run, empty ones included (they are answers too). */
    private static void closedBucketsOf(CachePlan.Run run, long closedEnd, long step, List<ResultSeries> result,
            List<Long> buckets, List<byte[]> encoded) {
        Map<Long, List<BucketCodec.Entry>> byBucket = new TreeMap<>();
        for (long b = run.fromMs(); b < Math.min(run.toMs(), closedEnd); b += step) {
            byBucket.put(b, new ArrayList<>());
        }
        for (ResultSeries s : result) {
            for (int i = 0; i < s.timestamps().length; i++) {
                List<BucketCodec.Entry> entries = byBucket.get(s.timestamps()[i]);
                if (entries != null) {
                    entries.add(new BucketCodec.Entry(s.labels(), s.values()[i]));
                }
            }
        }
        byBucket.forEach((b, entries) -> {
            buckets.add(b);
            encoded.add(BucketCodec.encode(entries));
        });
    }

    private static List<ResultSeries> pointsAt(long bucket, List<BucketCodec.Entry> entries) {
        List<ResultSeries> series = new ArrayList<>(entries.size());
        for (BucketCodec.Entry e : entries) {
            series.add(new ResultSeries(e.labels(), new long[] { bucket }, new double[] { e.value() }));
        }
        return series;
    }

    private static int countTrue(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** Everything that decides a bucket's answer, hashed: two queries share buckets iff they share a shape. */
    static String shapeOf(RangeQuery q) {
        StringBuilder s = new StringBuilder();
        s.append(q.tenant()).append('\u0000').append(q.selector().metric());
        q.selector().matchers().stream()
                .sorted(Comparator.comparing(Matcher::name).thenComparing(Matcher::type).thenComparing(Matcher::value))
                .forEach(m -> s.append('\u0000').append(m.name()).append('\u0001').append(m.type()).append('\u0001')
                        .append(m.value()));
        s.append('\u0000').append(q.stepMs()).append('\u0000').append(q.alignmentMs()).append('\u0000')
                .append(q.overTime());
        if (q.overTime() == AggregationFunction.QUANTILE) {
            s.append('\u0000').append(Double.doubleToLongBits(q.quantile()));
        }
        if (q.across() != null) {
            s.append('\u0000').append(q.across().function()).append('\u0000')
                    .append(q.across().groupBy().stream().sorted().distinct().toList()).append('\u0000')
                    .append(q.across().without().stream().sorted().distinct().toList());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
