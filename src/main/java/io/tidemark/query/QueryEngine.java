package io.tidemark.query;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tidemark.cache.HotWindowCache;
import io.tidemark.sketch.DDSketch;
import io.tidemark.storage.StaleMarker;
import io.tidemark.storage.chunk.ChunkCompactor;
import io.tidemark.storage.chunk.PointMerger;
import io.tidemark.storage.rollup.RollupConfig;
import io.tidemark.storage.rollup.RollupFolder;
import io.tidemark.storage.rollup.RollupTier;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs queries against storage: matchers are resolved through the series index (never a scan of samples),
 * samples are read only for those series and only in the partitions of the range, and the aggregation over
 * time is pushed into SQL. Merging across series runs on a worker thread, never on the event loop.
 */
@Singleton
public class QueryEngine {

    private final Pool pool;
    private final QueryConfig config;
    /** The series id of the row that counts chunks beside head rows (a real id is a hash: never this one). */
    private static final long CHUNKS_MARKER = Long.MIN_VALUE;
    private final CachedRange cachedRange;
    private final RollupConfig rollups;
    private final Map<String, Counter> segmentsRead = new HashMap<>();
    private final Counter bucketsComputed;

    public QueryEngine(Pool pool, QueryConfig config, HotWindowCache cache, RollupConfig rollups, MeterRegistry meters) {
        this.pool = pool;
        this.config = config;
        this.rollups = rollups;
        for (String source : List.of("raw", "1m", "1h", "1d")) {
            segmentsRead.put(source, Counter.builder("tidemark.query.segments").tag("source", source)
                    .description("Parts of range queries answered from raw samples or a rollup tier").register(meters));
        }
        this.cachedRange = new CachedRange(cache, Clock.systemUTC(), meters);
        this.bucketsComputed = Counter.builder("tidemark.query.buckets.computed")
                .description("Range-query buckets computed from PostgreSQL (cached ones are not)").register(meters);
    }

    private record SeriesRef(long id, Map<String, String> labels) {
    }

    /** The answer's series are ordered by their labels. */
    public Uni<List<ResultSeries>> range(RangeQuery q) {
        validate(q);
        long deadline = deadline();
        Uni<List<ResultSeries>> answer = cachedRange.cacheable(q)
                ? cachedRange.answer(q, part -> compute(part, deadline))
                : compute(q, deadline);
        return withTimeout(answer.map(series -> {
            long points = series.stream().mapToLong(s -> s.timestamps().length).sum();
            if (points > config.maxPoints()) {
                throw tooManyPoints();
            }
            List<ResultSeries> sorted = new ArrayList<>(series);
            sorted.sort(Comparator.comparing(s -> s.labels().toString()));
            return sorted;
        }));
    }

    private Uni<List<ResultSeries>> compute(RangeQuery q, long deadline) {
        bucketsComputed.increment(q.buckets());
        Uni<List<SeriesRef>> selected = q.limit() > 0
                ? selectSeries(q.tenant(), q.selector(), limitFor(q.limit()), q.firstBucket(), q.endOfLastBucket() - 1,
                        deadline)
                : candidateSeries(q, deadline);
        // each part comes back merged across series already (in SQL where it can, else in Java)
        return selected.chain(series -> series.isEmpty() ? Uni.createFrom().item(List.<ResultSeries>of())
                : aggregate(q, series, deadline));
    }

    private <T> Uni<T> withTimeout(Uni<T> query) {
        return query.ifNoItem().after(config.timeout()).failWith(this::timeout);
    }

    private QueryException tooManyPoints() {
        return new QueryException(QueryException.Kind.TOO_LARGE, "the answer has more than " + config.maxPoints()
                + " points (tidemark.query.max-points); narrow the selector or use a larger step");
    }

    private long deadline() {
        return System.nanoTime() + config.timeout().toNanos();
    }

    private QueryException timeout() {
        return new QueryException(QueryException.Kind.TIMEOUT,
                "the query ran longer than " + config.timeout().toMillis() + " ms (tidemark.query.timeout)");
    }

    private Uni<RowSet<Row>> execute(String sql, Tuple params, long deadline) {
        return Statements.execute(pool, sql, params, deadline, this::timeout);
    }

    public Uni<List<Map<String, String>>> series(String tenant, Selector selector, long startMs, long endMs, int limit) {
        if (endMs < startMs) {
            throw QueryException.invalid("end_ms", "end " + endMs + " is before start " + startMs);
        }
        return withTimeout(selectSeries(tenant, selector, limitFor(limit), startMs, endMs, deadline())
                .map(refs -> refs.stream().map(SeriesRef::labels).toList()));
    }

    public Uni<List<String>> labelNames(String tenant, Selector selector) {
        SeriesSelectSql where = SeriesSelectSql.of(tenant, selector, List.of());
        return withTimeout(execute("SELECT DISTINCT jsonb_object_keys(s.labels) AS k FROM series s WHERE " + where.where,
                Tuple.from(where.params), deadline()))
                .map(rows -> {
                    TreeSet<String> names = new TreeSet<>();
                    names.add("__name__");
                    rows.forEach(r -> names.add(r.getString("k")));
                    return List.copyOf(names);
                });
    }

    public Uni<List<String>> labelValues(String tenant, String name, Selector selector) {
        if (name == null || name.isEmpty()) {
            throw QueryException.invalid("name", "a label name is required");
        }
        boolean metricName = "__name__".equals(name);
        SeriesSelectSql where = SeriesSelectSql.of(tenant, selector, metricName ? List.of() : List.of(name));
        String sql = metricName
                ? "SELECT DISTINCT s.name AS v FROM series s WHERE " + where.where + " ORDER BY 1"
                : "SELECT DISTINCT s.labels->>$1 AS v FROM series s WHERE s.labels ? $1 AND " + where.where + " ORDER BY 1";
        return withTimeout(execute(sql, Tuple.from(where.params), deadline()))
                .map(rows -> {
                    List<String> values = new ArrayList<>();
                    rows.forEach(r -> values.add(r.getString("v")));
                    return values;
                });
    }

    /**
     * Counts over the tenant's rows of {@code series} (of one metric when {@code metric} is not empty), in one
     * statement so every list comes from the same snapshot. Costs one pass over those rows per list.
     */
    public Uni<CardinalityReport> cardinality(String tenant, String metric, long requestedLimit) {
        int limit = CardinalityReport.limitFor(requestedLimit);
        SeriesSelectSql where = SeriesSelectSql.of(tenant, metric.isEmpty() ? null : new Selector(metric, List.of()),
                List.of());
        String series = " FROM series s WHERE " + where.where;
        String labels = " FROM series s CROSS JOIN LATERAL jsonb_each_text(s.labels) AS l(k, v) WHERE " + where.where;
        String top = " ORDER BY 3 DESC, 2 LIMIT " + limit + ")";
        String sql = "(SELECT 'series' AS list, NULL::text AS name, count(*) AS n" + series + ")"
                + " UNION ALL (SELECT 'pairs', NULL, count(*) FROM (SELECT DISTINCT l.k, l.v" + labels + ") p)"
                + " UNION ALL (SELECT 'metric', s.name, count(*)" + series + " GROUP BY 2" + top
                + " UNION ALL (SELECT 'label', l.k, count(*)" + labels + " GROUP BY 2" + top
                + " UNION ALL (SELECT 'values', l.k, count(DISTINCT l.v)" + labels + " GROUP BY 2" + top
                + " UNION ALL (SELECT 'pair', l.k || '=' || l.v, count(*)" + labels + " GROUP BY l.k, l.v" + top;
        return withTimeout(execute(sql, Tuple.from(where.params), deadline())).map(rows -> {
            long total = 0;
            long pairs = 0;
            Map<String, List<CardinalityReport.Entry>> lists = new HashMap<>();
            for (Row row : rows) {
                String list = row.getString("list");
                switch (list) {
                    case "series" -> total = row.getLong("n");
                    case "pairs" -> pairs = row.getLong("n");
                    default -> lists.computeIfAbsent(list, k -> new ArrayList<>())
                            .add(new CardinalityReport.Entry(row.getString("name"), row.getLong("n")));
                }
            }
            return new CardinalityReport(total, pairs, top(lists, "metric", limit), top(lists, "label", limit),
                    top(lists, "values", limit), top(lists, "pair", limit));
        });
    }

    private static List<CardinalityReport.Entry> top(Map<String, List<CardinalityReport.Entry>> lists, String list,
            int limit) {
        return CardinalityReport.top(lists.getOrDefault(list, List.of()), limit);
    }

    private void validate(RangeQuery q) {
        if (q.stepMs() <= 0) {
            throw QueryException.invalid("step_ms", "step must be positive, got " + q.stepMs());
        }
        if (q.endMs() < q.startMs()) {
            throw QueryException.invalid("end_ms", "end " + q.endMs() + " is before start " + q.startMs());
        }
        if (q.buckets() > config.maxBuckets()) {
            throw QueryException.invalid("step_ms", "range / step gives " + q.buckets() + " buckets, over the limit of "
                    + config.maxBuckets() + " (tidemark.query.max-buckets); use a larger step");
        }
        if (q.overTime() == AggregationFunction.QUANTILE && !(q.quantile() >= 0 && q.quantile() <= 1)) {
            throw QueryException.invalid("over_time.quantile", "a quantile must be within [0, 1], got " + q.quantile());
        }
        if (q.across() != null && !CrossSeriesMerge.supports(q.across().function())) {
            throw new QueryException(QueryException.Kind.UNSUPPORTED, "across.aggregation: " + q.across().function()
                    + " across series is not implemented yet");
        }
    }

    private int limitFor(int requested) {
        return requested > 0 ? Math.min(requested, config.maxSeries()) : config.maxSeries();
    }

    /**
     * Series matching the selector, whether or not they have samples in the range: those without simply add nothing
     * to the answer, and this skips one index probe per series. Only when more than max-series match are the
     * inactive ones excluded, to apply the limit to the series that count.
     */
    private Uni<List<SeriesRef>> candidateSeries(RangeQuery q, long deadline) {
        SeriesSelectSql where = SeriesSelectSql.of(q.tenant(), q.selector(), List.of());
        String sql = "SELECT s.id, s.name, s.labels FROM series s WHERE " + where.where + " LIMIT "
                + (config.maxSeries() + 1);
        return execute(sql, Tuple.from(where.params), deadline).chain(rows -> rows.size() > config.maxSeries()
                ? selectSeries(q.tenant(), q.selector(), config.maxSeries(), q.firstBucket(), q.endOfLastBucket() - 1,
                        deadline)
                : Uni.createFrom().item(toRefs(rows, rows.size())));
    }

    /** Series matching the selector that have samples in [startMs, endMs], at most {@code limit}. */
    private Uni<List<SeriesRef>> selectSeries(String tenant, Selector selector, int limit, long startMs, long endMs,
            long deadline) {
        SeriesSelectSql where = SeriesSelectSql.of(tenant, selector, List.of(startMs, endMs));
        String sql = "SELECT s.id, s.name, s.labels FROM series s WHERE " + where.where
                + " AND (EXISTS (SELECT 1 FROM samples x WHERE x.series_id = s.id AND x.ts BETWEEN $1 AND $2)"
                + " OR EXISTS (SELECT 1 FROM chunks c WHERE c.series_id = s.id AND c.block_start > $1 - "
                + ChunkCompactor.BLOCK_MS + " AND c.block_start <= $2 AND c.min_ts <= $2 AND c.max_ts >= $1))"
                + " ORDER BY s.id LIMIT " + (limit + 1);
        return execute(sql, Tuple.from(where.params), deadline).map(rows -> {
            if (rows.size() > limit && limit == config.maxSeries()) {
                throw new QueryException(QueryException.Kind.TOO_LARGE, "the selector matches more than "
                        + config.maxSeries() + " series (tidemark.query.max-series)");
            }
            return toRefs(rows, limit);
        });
    }

    private static List<SeriesRef> toRefs(RowSet<Row> rows, int limit) {
        List<SeriesRef> refs = new ArrayList<>(Math.min(rows.size(), limit));
        for (Row row : rows) {
            if (refs.size() == limit) {
                break;
            }
            refs.add(new SeriesRef(row.getLong("id"), seriesLabels(row)));
        }
        return refs;
    }

    /** A {@code series} row's labels (columns {@code name} and {@code labels}), {@code __name__} included, sorted. */
    static Map<String, String> seriesLabels(Row row) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("__name__", row.getString("name"));
        JsonObject json = (JsonObject) row.getValue("labels");
        json.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
        return labels;
    }

    /** Each bucket from the storage the {@link TierPlanner} picks: a rollup tier, or raw samples. */
    private Uni<List<ResultSeries>> aggregate(RangeQuery q, List<SeriesRef> series, long deadline) {
        if (!rollups.queries()) {
            return rawAggregate(q, series, Long.MAX_VALUE, deadline);
        }
        if (Arrays.stream(RollupTier.values()).noneMatch(t -> q.stepMs() % t.resolutionMs() == 0)) {
            // no tier can answer this step: skip reading their state; the head path notices chunks itself
            segmentsRead.get("raw").increment();
            return rawAggregate(q, series, Long.MIN_VALUE, deadline);
        }
        String state = "SELECT 'done', tier, done_until FROM rollup_progress UNION ALL"
                + " SELECT 'dirty', tier, min(bucket) FROM rollup_dirty WHERE bucket >= $1 AND bucket < $2 GROUP BY tier";
        return execute(state, Tuple.of(q.firstBucket() - RollupTier.DAY.resolutionMs(), q.endOfLastBucket()), deadline)
                .chain(rows -> {
                    Map<RollupTier, Long> done = new EnumMap<>(RollupTier.class);
                    Map<RollupTier, Long> firstDirty = new EnumMap<>(RollupTier.class);
                    long chunksDone = Long.MIN_VALUE;
                    for (Row row : rows) {
                        boolean dirty = "dirty".equals(row.getString(0));
                        if (!dirty && ChunkCompactor.PROGRESS_KEY.equals(row.getString(1))) {
                            chunksDone = row.getLong(2);
                        }
                        Map<RollupTier, Long> target = dirty ? firstDirty : done;
                        Arrays.stream(RollupTier.values()).filter(t -> t.label().equals(row.getString(1)))
                                .forEach(t -> target.put(t, row.getLong(2)));
                    }
                    long compactedUntil = chunksDone;
                    List<TierPlanner.Segment> segments = TierPlanner.plan(q, done, firstDirty);
                    List<Uni<List<ResultSeries>>> parts = new ArrayList<>();
                    for (TierPlanner.Segment segment : segments) {
                        RangeQuery part = q.buckets(segment.fromMs(), segment.toMs());
                        parts.add(segment.tier() == null ? rawAggregate(part, series, compactedUntil, deadline)
                                : tierAggregate(part, segment.tier(), series, deadline));
                        segmentsRead.get(segment.tier() == null ? "raw" : segment.tier().label()).increment();
                    }
                    return parts.size() == 1 ? parts.get(0)
                            : Uni.join().all(parts).andFailFast().map(ResultSeries::concat);
                });
    }

    /** Buckets answered from a rollup tier: the same aggregates as on raw samples, from the tier's columns. */
    private Uni<List<ResultSeries>> tierAggregate(RangeQuery q, RollupTier tier, List<SeriesRef> series, long deadline) {
        Long[] ids = series.stream().map(SeriesRef::id).toArray(Long[]::new);
        String from = " FROM " + tier.table() + " WHERE series_id = ANY($1) AND bucket >= $3 AND bucket < $4";
        Tuple params = Tuple.tuple().addArrayOfLong(ids).addLong(q.stepMs()).addLong(q.firstBucket())
                .addLong(q.endOfLastBucket());
        if (q.overTime() == AggregationFunction.QUANTILE) {
            String sql = "SELECT series_id, bucket - (bucket - $3) % $2 AS b, sketch" + from + " ORDER BY 1, 2";
            return execute(sql, params, deadline).emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(rows -> acrossInJava(q, mergeSketches(rows, series, q.quantile())));
        }
        String value = switch (q.overTime()) {
            case AVG -> "sum(sum) / sum(count::float8)"; // float8 sums: numeric arithmetic costs more than the scan
            case SUM -> "sum(sum)";
            case MIN -> "min(min)";
            case MAX -> "max(max)";
            case COUNT -> "sum(count::float8)";
            case LAST -> "(array_agg(last ORDER BY bucket DESC))[1]";
            case INCREASE -> "sum(increase)";
            case RATE -> "sum(increase) / ($2 / 1000.0)";
            case QUANTILE -> throw new IllegalStateException("merged from sketches above");
        };
        String having = q.overTime() == AggregationFunction.INCREASE || q.overTime() == AggregationFunction.RATE
                ? " HAVING count(increase) > 0" : "";
        // grouped even when one tier row is one query bucket: without the aggregate, PostgreSQL flattens the
        // subquery into the merge across series and scanned the whole partition (368 ms for W1's Q2)
        String inner = "SELECT series_id, bucket - (bucket - $3) % $2 AS bucket, " + value + " AS v" + from
                + " GROUP BY 1, 2" + having;
        if (q.across() != null) {
            CrossSeriesMerge.Grouping groups = grouping(q, series);
            params.addArrayOfInteger(groups.groupOf());
            return execute(CrossSeriesMerge.mergeSql(inner, q.across(), 5), params, deadline)
                    .map(rows -> toSeries(rows, groupLabels(groups)));
        }
        return execute(inner + " ORDER BY 1, 2 LIMIT " + (config.maxPoints() + 1), params, deadline)
                .map(rows -> toSeries(rows, seriesLabels(series)));
    }

    /** p-quantiles per bucket from the merged DDSketches of its rollup rows (never an average of percentiles). */
    private List<ResultSeries> mergeSketches(RowSet<Row> rows, List<SeriesRef> series, double quantile) {
        Map<Long, SeriesRef> byId = new HashMap<>();
        series.forEach(s -> byId.put(s.id(), s));
        List<ResultSeries> result = new ArrayList<>();
        PointsBuilder points = null;
        long currentSeries = 0;
        long currentBucket = 0;
        DDSketch merged = new DDSketch();
        int pointCount = 0;
        for (Row row : rows) {
            long id = row.getLong(0);
            long bucket = row.getLong(1);
            if (points != null && (id != currentSeries || bucket != currentBucket)) {
                points.add(currentBucket, merged.quantile(quantile));
                pointCount++;
                merged.clear();
                if (id != currentSeries) {
                    result.add(points.build(byId.get(currentSeries).labels()));
                    points = null;
                }
            }
            if (points == null) {
                points = new PointsBuilder();
            }
            if (pointCount > config.maxPoints()) {
                throw tooManyPoints();
            }
            currentSeries = id;
            currentBucket = bucket;
            merged.merge(DDSketch.fromBytes(row.getBuffer(2).getBytes()));
        }
        if (points != null) {
            points.add(currentBucket, merged.quantile(quantile));
            result.add(points.build(byId.get(currentSeries).labels()));
        }
        return result;
    }

    /**
     * Buckets from raw samples: aggregated in SQL while the range holds head rows only; once it reaches compacted
     * blocks, head rows and chunks are read in one statement (one snapshot: compaction never shows a sample twice
     * or not at all) and aggregated here.
     */
    private Uni<List<ResultSeries>> rawAggregate(RangeQuery q, List<SeriesRef> series, long compactedUntil,
            long deadline) {
        if (q.firstBucket() - RollupFolder.COUNTER_LOOKBACK_MS < compactedUntil) {
            return chunkAggregate(q, series, deadline);
        }
        return headAggregate(q, series, deadline);
    }

    private Uni<List<ResultSeries>> chunkAggregate(RangeQuery q, List<SeriesRef> series, long deadline) {
        Long[] ids = series.stream().map(SeriesRef::id).toArray(Long[]::new);
        long from = q.firstBucket() - RollupFolder.COUNTER_LOOKBACK_MS;
        long to = q.endOfLastBucket();
        String sql = "SELECT series_id, ts, value, NULL::bytea AS data FROM samples"
                + " WHERE series_id = ANY($1) AND ts >= $2 AND ts < $3"
                + " UNION ALL SELECT series_id, NULL, NULL, data FROM chunks WHERE series_id = ANY($1)"
                + " AND block_start > $2 - " + ChunkCompactor.BLOCK_MS + " AND block_start < $3"
                + " ORDER BY 1, 2 NULLS FIRST";
        return execute(sql, Tuple.of(ids, from, to), deadline).emitOn(Infrastructure.getDefaultWorkerPool()).map(rows -> {
            Map<Long, SeriesRef> byId = new HashMap<>();
            series.forEach(s -> byId.put(s.id(), s));
            List<ResultSeries> result = new ArrayList<>();
            PointMerger points = new PointMerger();
            long current = 0;
            boolean any = false;
            long read = 0;
            for (Row row : rows) {
                long id = row.getLong(0);
                if (any && id != current) {
                    read += points.size();
                    aggregateSeries(q, byId.get(current), points, result);
                }
                current = id;
                any = true;
                io.vertx.mutiny.core.buffer.Buffer chunk = row.getBuffer(3);
                if (chunk != null) {
                    points.addChunk(chunk.getBytes(), from, to);
                } else {
                    points.add(row.getLong(1), row.getDouble(2));
                }
                if (read + points.size() > config.maxPoints()) {
                    throw new QueryException(QueryException.Kind.TOO_LARGE, "the range reads more than "
                            + config.maxPoints() + " samples (tidemark.query.max-points); narrow it");
                }
            }
            if (any) {
                aggregateSeries(q, byId.get(current), points, result);
            }
            return acrossInJava(q, result);
        });
    }

    private static void aggregateSeries(RangeQuery q, SeriesRef series, PointMerger points, List<ResultSeries> out) {
        points.sortAndDedupe();
        points.dropStaleMarkers();
        BucketAggregator.aggregate(q, series.labels(), points.timestamps(), points.values(), points.size())
                .ifPresent(out::add);
        points.clear();
    }

    /**
     * The head-only path: aggregated in SQL. The same statement counts the chunks in range, so if a compaction
     * committed between the planner's look at the progress and this statement (its rows gone, its chunks there),
     * the query is answered again through {@link #chunkAggregate} instead of missing them.
     */
    private Uni<List<ResultSeries>> headAggregate(RangeQuery q, List<SeriesRef> series, long deadline) {
        if (q.overTime() == AggregationFunction.RATE || q.overTime() == AggregationFunction.INCREASE) {
            return chunkAggregate(q, series, deadline); // raw rows in order anyway
        }
        Long[] ids = series.stream().map(SeriesRef::id).toArray(Long[]::new);
        // bucket start = ts - floorMod(ts - alignment, step); $3 is the first bucket, so ts - $3 >= 0
        String inner = "SELECT series_id, ts - (ts - $3) % $2 AS bucket, " + overTimeSql(q.overTime()) + " AS v"
                + " FROM samples WHERE series_id = ANY($1) AND ts >= $3 AND ts < $4 AND " + StaleMarker.NOT_STALE_SQL
                + " GROUP BY 1, 2";
        Tuple params = Tuple.tuple().addArrayOfLong(ids).addLong(q.stepMs()).addLong(q.firstBucket())
                .addLong(q.endOfLastBucket());
        if (q.overTime() == AggregationFunction.QUANTILE) {
            params.addDouble(q.quantile());
        }
        Map<Long, Map<String, String>> labels;
        String answer;
        if (q.across() != null) {
            CrossSeriesMerge.Grouping groups = grouping(q, series);
            params.addArrayOfInteger(groups.groupOf());
            answer = CrossSeriesMerge.mergeSql(inner, q.across(), params.size());
            labels = groupLabels(groups);
        } else {
            answer = inner + " ORDER BY 1, 2 LIMIT " + (config.maxPoints() + 1);
            labels = seriesLabels(series);
        }
        String sql = "(" + answer + ") UNION ALL SELECT '" + CHUNKS_MARKER + "'::bigint, count(*), 0::float8 FROM chunks"
                + " WHERE series_id = ANY($1) AND block_start > $3 - " + ChunkCompactor.BLOCK_MS + " AND block_start < $4";
        return execute(sql, params, deadline).chain(rows -> {
            for (Row row : rows) {
                if (row.getLong(0) == CHUNKS_MARKER && row.getLong(1) > 0) {
                    return chunkAggregate(q, series, deadline);
                }
            }
            return Uni.createFrom().item(toSeries(rows, labels));
        });
    }

    private String overTimeSql(AggregationFunction f) {
        return switch (f) {
            case AVG -> "avg(value)";
            case SUM -> "sum(value)";
            case MIN -> "min(value)";
            case MAX -> "max(value)";
            case COUNT -> "count(*)::float8";
            case LAST -> "(array_agg(value ORDER BY ts DESC))[1]";
            // the sample at rank floor(q * (n - 1)), as the rollups' DDSketch estimates it
            case QUANTILE -> "(array_agg(value ORDER BY value))[floor($5::float8 * (count(*) - 1))::int + 1]";
            case RATE, INCREASE -> throw new IllegalStateException("refused by validate");
        };
    }

    private static Map<Long, Map<String, String>> seriesLabels(List<SeriesRef> series) {
        Map<Long, Map<String, String>> byId = new HashMap<>();
        series.forEach(s -> byId.put(s.id(), s.labels()));
        return byId;
    }

    private static CrossSeriesMerge.Grouping grouping(RangeQuery q, List<SeriesRef> series) {
        return CrossSeriesMerge.group(series.stream().map(SeriesRef::labels).toList(), q.across());
    }

    private static Map<Long, Map<String, String>> groupLabels(CrossSeriesMerge.Grouping groups) {
        Map<Long, Map<String, String>> byGroup = new HashMap<>();
        for (int i = 0; i < groups.groupLabels().size(); i++) {
            byGroup.put((long) i, groups.groupLabels().get(i));
        }
        return byGroup;
    }

    private static List<ResultSeries> acrossInJava(RangeQuery q, List<ResultSeries> perSeries) {
        return q.across() == null ? perSeries : CrossSeriesMerge.merge(perSeries, q.across());
    }

    /** Rows (key, bucket, v) to series; a key is a series id or, merged across series in SQL, a group index. */
    private List<ResultSeries> toSeries(RowSet<Row> rows, Map<Long, Map<String, String>> labelsByKey) {
        int points = 0;
        for (Row row : rows) {
            points += row.getLong(0) == CHUNKS_MARKER ? 0 : 1;
        }
        if (points > config.maxPoints()) {
            throw tooManyPoints();
        }
        Map<Long, PointsBuilder> bySeries = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.getLong(0) == CHUNKS_MARKER) {
                continue;
            }
            bySeries.computeIfAbsent(row.getLong(0), id -> new PointsBuilder()).add(row.getLong(1), row.getDouble(2));
        }
        List<ResultSeries> result = new ArrayList<>(bySeries.size());
        bySeries.forEach((key, p) -> result.add(p.build(labelsByKey.get(key))));
        return result;
    }
}
