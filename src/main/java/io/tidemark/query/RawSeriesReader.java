package io.tidemark.query;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.QueryLimitException;
import io.tidemark.promql.eval.RawSeries;
import io.tidemark.promql.eval.SelectRequest;
import io.tidemark.promql.eval.SeriesSource;
import io.tidemark.storage.RetentionConfig;
import io.tidemark.storage.SeriesKey;
import io.tidemark.storage.rollup.RollupTier;
import io.tidemark.storage.chunk.ChunkCompactor;
import io.tidemark.storage.chunk.PointMerger;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Raw samples for PromQL and remote read: the series matching a selector (through the series index), then their
 * samples in a time range from head rows and chunks, exactly as stored (staleness markers included).
 *
 * <p>The SQL narrows the series with every matcher PostgreSQL can decide exactly like Prometheus; each candidate
 * is then checked against all matchers in Java, with Go's regular-expression semantics.
 */
@Singleton
public class RawSeriesReader {

    /** Series read per statement, so one statement's rows stay a bounded slice of the answer. */
    static final int SERIES_PER_STATEMENT = 2_000;
    private static final int STATEMENTS_IN_FLIGHT = 2;
    /**
     * Regular expressions made only of these characters mean the same in PostgreSQL and Go, unless they hold a
     * group with flags ({@code (?i)}), which PostgreSQL accepts only at the very start.
     */
    private static final Pattern PORTABLE_REGEX = Pattern.compile("[A-Za-z0-9_:/,=@ .*+?|()-]*");

    private final Pool pool;
    private final RetentionConfig retention;
    private final Clock clock;

    public RawSeriesReader(Pool pool, RetentionConfig retention, Clock clock) {
        this.pool = pool;
        this.retention = retention;
        this.clock = clock;
    }

    /** What one query may read: series per selector and samples in all (shared by every selector of the query). */
    public record Budget(int maxSeries, long maxSamples, long deadlineNanos, AtomicLong samplesRead) {

        public static Budget of(int maxSeries, long maxSamples, long deadlineNanos) {
            return new Budget(maxSeries, maxSamples, deadlineNanos, new AtomicLong());
        }
    }

    public SeriesSource forTenant(String tenant, Budget budget) {
        return request -> select(tenant, request, budget);
    }

    public Uni<List<RawSeries>> select(String tenant, SelectRequest request, Budget budget) {
        return matchingSeries(tenant, request.matchers(), null, budget).chain(series -> {
            if (series.isEmpty()) {
                return Uni.createFrom().item(List.<RawSeries>of());
            }
            List<List<SeriesRow>> slices = new ArrayList<>();
            for (int from = 0; from < series.size(); from += SERIES_PER_STATEMENT) {
                slices.add(series.subList(from, Math.min(series.size(), from + SERIES_PER_STATEMENT)));
            }
            // two statements at a time: a query holds at most two statements' rows, and both cores work
            return Multi.createFrom().iterable(slices)
                    .onItem().transformToUni(slice -> samples(slice, request.minTimeMs(), request.maxTimeMs(), budget))
                    .merge(STATEMENTS_IN_FLIGHT)
                    .collect().in(ArrayList<RawSeries>::new, List::addAll)
                    .map(all -> (List<RawSeries>) all);
        });
    }

    private record SeriesRow(long id, Labels labels) {
    }

    /**
     * Series of the tenant matching every matcher, at most {@code budget.maxSeries()}; with a {@code range}
     * ({startMs, endMs}), only those with a sample in it.
     */
    public Uni<List<Labels>> labels(String tenant, List<LabelMatcher> matchers, long[] range, Budget budget) {
        return matchingSeries(tenant, matchers, range, budget).map(rows -> rows.stream().map(SeriesRow::labels).toList());
    }

    private Uni<List<SeriesRow>> matchingSeries(String tenant, List<LabelMatcher> matchers, long[] range,
            Budget budget) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("s.tenant = ").append(param(params, tenant));
        if (range != null) {
            String from = param(params, range[0]);
            String to = param(params, range[1]);
            where.append(" AND (EXISTS (SELECT 1 FROM samples x WHERE x.series_id = s.id AND x.ts BETWEEN ")
                    .append(from).append(" AND ").append(to).append(") OR EXISTS (SELECT 1 FROM chunks c")
                    .append(" WHERE c.series_id = s.id AND c.block_start > ").append(from).append(" - ")
                    .append(ChunkCompactor.BLOCK_MS).append(" AND c.block_start <= ").append(to)
                    .append(" AND c.min_ts <= ").append(to).append(" AND c.max_ts >= ").append(from).append("))");
        }
        for (LabelMatcher m : matchers) {
            String condition = sqlCondition(m, params);
            if (condition != null) {
                where.append(" AND ").append(condition);
            }
        }
        // the SQL may over-select (matchers checked in Java only); the limit applies after the exact check
        long candidateLimit = 2L * budget.maxSeries();
        String sql = "SELECT s.id, s.name, s.labels FROM series s WHERE " + where + " LIMIT " + (candidateLimit + 1);
        return Statements.execute(pool, sql, Tuple.from(params), budget.deadlineNanos(), RawSeriesReader::timeout)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(rows -> {
                    if (rows.size() > candidateLimit) {
                        throw new QueryLimitException("a selector reads more than " + candidateLimit
                                + " candidate series (twice tidemark.promql.max-series); add an equality matcher");
                    }
                    List<SeriesRow> out = new ArrayList<>();
                    for (Row row : rows) {
                        Labels labels = labels(row);
                        if (matchesAll(matchers, labels)) {
                            if (out.size() == budget.maxSeries()) {
                                throw new QueryLimitException("a selector matches more than " + budget.maxSeries()
                                        + " series (tidemark.promql.max-series)");
                            }
                            out.add(new SeriesRow(row.getLong("id"), labels));
                        }
                    }
                    return out;
                });
    }

    static boolean matchesAll(List<LabelMatcher> matchers, Labels labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    private static Labels labels(Row row) {
        return Labels.of(QueryEngine.seriesLabels(row));
    }

    /**
     * A SQL condition selecting a superset of what the matcher selects, or null when PostgreSQL cannot help. Regular
     * expressions go to SQL only when built from characters both dialects read alike ({@code .} also matches a
     * newline in PostgreSQL: a superset); negated ones are left to Java for the same reason.
     */
    static String sqlCondition(LabelMatcher m, List<Object> params) {
        boolean name = LabelMatcher.METRIC_NAME.equals(m.name());
        String column = name ? "s.name" : "coalesce(s.labels->>" + param(params, m.name()) + ", '')";
        return switch (m.type()) {
            case EQUAL -> name ? column + " = " + param(params, m.value())
                    : m.value().isEmpty() ? "NOT s.labels ? " + param(params, m.name())
                            : "s.labels @> " + param(params, SeriesKey.of("", "", Map.of(m.name(), m.value())).labelsJson())
                                    + "::jsonb";
            case NOT_EQUAL -> column + " <> " + param(params, m.value());
            case REGEX -> PORTABLE_REGEX.matcher(m.value()).matches() && !m.value().contains("(?")
                    ? column + " ~ " + param(params, "^(?:" + m.value() + ")$") : null;
            case NOT_REGEX -> null;
        };
    }

    private Uni<List<RawSeries>> samples(List<SeriesRow> series, long minMs, long maxMs, Budget budget) {
        Long[] ids = series.stream().map(SeriesRow::id).toArray(Long[]::new);
        long rawFrom = Math.max(minMs, rawHorizon());
        // one row per series and source: its head samples as two arrays (binary arrays decode far faster than a
        // row per sample), each of its chunks, its tier values
        StringBuilder sql = new StringBuilder("SELECT series_id, array_agg(ts) AS ts, array_agg(value) AS v,"
                + " NULL::bytea AS data FROM samples WHERE series_id = ANY($1) AND ts >= $2 AND ts <= $3 GROUP BY 1"
                + " UNION ALL SELECT series_id, NULL, NULL, data FROM chunks WHERE series_id = ANY($1)"
                + " AND block_start > $2 - " + ChunkCompactor.BLOCK_MS + " AND block_start <= $3"
                + " AND min_ts <= $3 AND max_ts >= $2");
        Tuple params = Tuple.of(ids, rawFrom, maxMs);
        long tierEnd = Math.min(maxMs + 1, rawFrom);
        for (RollupTier tier : RollupTier.values()) {
            long tierStart = Math.max(minMs, tierHorizon(tier));
            if (tierStart < tierEnd) {
                // older than the raw retention: the tier's last value per bucket, stamped at the bucket's last millisecond
                params.addLong(tierStart).addLong(tierEnd);
                int p = params.size();
                sql.append(" UNION ALL SELECT series_id, array_agg(bucket + ").append(tier.resolutionMs() - 1)
                        .append("), array_agg(last), NULL FROM ").append(tier.table()).append(" WHERE series_id = ANY($1)")
                        .append(" AND bucket + ").append(tier.resolutionMs() - 1).append(" >= $").append(p - 1)
                        .append(" AND bucket + ").append(tier.resolutionMs() - 1).append(" < $").append(p)
                        .append(" GROUP BY 1");
                tierEnd = tierStart;
            }
        }
        sql.append(" ORDER BY 1");
        return Statements.execute(pool, sql.toString(), params, budget.deadlineNanos(), RawSeriesReader::timeout)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(rows -> toSeries(rows, series, rawFrom, maxMs, budget));
    }

    /** Raw samples exist from here on (older ones are refused at ingest and their partitions dropped). */
    private long rawHorizon() {
        return clock.millis() - retention.raw().toMillis();
    }

    /** Where a tier's retention begins. */
    private long tierHorizon(RollupTier tier) {
        Duration kept = switch (tier) {
            case MINUTE -> retention.minute();
            case HOUR -> retention.hour();
            case DAY -> retention.day();
        };
        return clock.millis() - kept.toMillis();
    }

    private static List<RawSeries> toSeries(RowSet<Row> rows, List<SeriesRow> series, long minMs, long maxMs,
            Budget budget) {
        Map<Long, Labels> byId = new HashMap<>();
        series.forEach(s -> byId.put(s.id(), s.labels()));
        List<RawSeries> out = new ArrayList<>();
        PointMerger points = new PointMerger();
        long current = 0;
        boolean any = false;
        for (Row row : rows) {
            long id = row.getLong(0);
            if (any && id != current) {
                out.add(finish(byId.get(current), points, budget));
            }
            current = id;
            any = true;
            io.vertx.mutiny.core.buffer.Buffer chunk = row.getBuffer(3);
            if (chunk != null) {
                points.addChunk(chunk.getBytes(), minMs, maxMs + 1);
            } else {
                Long[] ts = row.getArrayOfLongs(1);
                Double[] vs = row.getArrayOfDoubles(2);
                for (int i = 0; i < ts.length; i++) {
                    points.add(ts[i], vs[i]);
                }
            }
        }
        if (any) {
            out.add(finish(byId.get(current), points, budget));
        }
        return out;
    }

    private static RawSeries finish(Labels labels, PointMerger points, Budget budget) {
        points.sortAndDedupe();
        int n = points.size();
        if (budget.samplesRead().addAndGet(n) > budget.maxSamples()) {
            throw new QueryLimitException("query processing would load too many samples into memory in query"
                    + " execution (tidemark.promql.max-samples = " + budget.maxSamples() + ")");
        }
        long[] ts = java.util.Arrays.copyOf(points.timestamps(), n);
        double[] vs = java.util.Arrays.copyOf(points.values(), n);
        points.clear();
        return new RawSeries(labels, ts, vs);
    }

    private static QueryException timeout() {
        return new QueryException(QueryException.Kind.TIMEOUT, "the query timed out (tidemark.promql.timeout)");
    }

    private static String param(List<Object> params, Object value) {
        params.add(value);
        return "$" + params.size();
    }
}
