package io.tidemark.promql.eval;

import io.smallrye.mutiny.Uni;
import io.tidemark.promql.Expr;
import io.tidemark.promql.ValueType;
import io.tidemark.promql.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Evaluates PromQL with the semantics of Prometheus 2.42: {@link #plan} says which series and time ranges a query
 * reads, {@link #evaluate} computes the result from the fetched series (pure, CPU only), {@link #execute} does both
 * against a {@link SeriesSource}.
 *
 * <p>An instant query has {@code start == end} and {@code step == 0}; a range query a positive step. Times are
 * Unix milliseconds.
 */
public final class Engine {

    /** Prometheus' limit on the points of one series in a range query's answer. */
    public static final long MAX_POINTS_PER_SERIES = 11_000;

    private final EngineOptions options;

    public Engine(EngineOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public Engine() {
        this(EngineOptions.defaults());
    }

    public EngineOptions options() {
        return options;
    }

    /** Every selector's fetch: its matchers and the time range it reads (lookback, ranges, offset, @, subqueries). */
    public List<SelectRequest> plan(Expr expr, long startMs, long endMs, long stepMs) {
        SelectorPlanner planner = new SelectorPlanner(startMs, endMs, options);
        planner.plan(expr);
        return List.copyOf(planner.ordered);
    }

    /**
     * Evaluates {@code expr} over the series fetched for {@link #plan}'s requests.
     *
     * @throws PromQLEvalException     on an evaluation error, with Prometheus' message
     * @throws QueryLimitException     when the query would hold more than {@code maxSamples} samples
     * @throws IllegalArgumentException when start, end and step do not form a valid query
     */
    public QueryResult evaluate(Expr expr, long startMs, long endMs, long stepMs,
            Map<SelectRequest, List<RawSeries>> fetched) {
        boolean instant = startMs == endMs && stepMs == 0;
        if (!instant) {
            validateRange(startMs, endMs, stepMs);
            if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.INSTANT_VECTOR) {
                throw new PromQLEvalException("invalid expression type \"" + expr.type().documentedName()
                        + "\" for range query, must be Scalar or instant Vector");
            }
        }
        SelectorPlanner planner = new SelectorPlanner(startMs, endMs, options);
        planner.plan(expr);
        Map<SelectRequest, List<RawSeries>> sortedData = new HashMap<>();
        Map<VectorSelector, List<RawSeries>> data = new IdentityHashMap<>();
        for (Map.Entry<VectorSelector, SelectRequest> e : planner.requests.entrySet()) {
            List<RawSeries> series = sortedData.computeIfAbsent(e.getValue(),
                    r -> QueryContext.sorted(lookup(fetched, r)));
            data.put(e.getKey(), series);
        }
        QueryContext q = new QueryContext(options, startMs, endMs, SelectorPlanner.stepInvariantNodes(expr), data);
        Evaluator ev = new Evaluator(q, startMs, endMs, instant ? 1 : stepMs);
        Object value = ev.eval(expr);
        if (value instanceof String s) {
            return new QueryResult.StringValue(startMs, s);
        }
        Mat mat = (Mat) value;
        if (!instant || expr.type() == ValueType.RANGE_VECTOR) {
            List<QueryResult.Series> series = new ArrayList<>(mat.series().size());
            for (StepSeries s : mat.series()) {
                series.add(s.toSeries());
            }
            series.sort((a, b) -> a.labels().compareTo(b.labels()));
            return new QueryResult.Matrix(series);
        }
        if (expr.type() == ValueType.SCALAR) {
            return new QueryResult.Scalar(startMs, mat.series().get(0).vs[0]);
        }
        List<QueryResult.Sample> samples = new ArrayList<>(mat.series().size());
        for (StepSeries s : mat.series()) {
            samples.add(new QueryResult.Sample(s.labels, startMs, s.vs[0]));
        }
        return new QueryResult.Vector(samples);
    }

    private static List<RawSeries> lookup(Map<SelectRequest, List<RawSeries>> fetched, SelectRequest r) {
        List<RawSeries> exact = fetched.get(r);
        if (exact != null) {
            return exact;
        }
        // A fetch of the same matchers that covers the range serves as well.
        for (Map.Entry<SelectRequest, List<RawSeries>> e : fetched.entrySet()) {
            SelectRequest f = e.getKey();
            if (f.matchers().equals(r.matchers()) && f.minTimeMs() <= r.minTimeMs()
                    && f.maxTimeMs() >= r.maxTimeMs()) {
                return e.getValue();
            }
        }
        throw new IllegalArgumentException("no series fetched for " + r);
    }

    /** Prometheus' checks of a range query's parameters (the API answers them with bad_data). */
    public static void validateRange(long startMs, long endMs, long stepMs) {
        if (endMs < startMs) {
            throw new IllegalArgumentException("end timestamp must not be before start time");
        }
        if (stepMs <= 0) {
            throw new IllegalArgumentException(
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES) {
            throw new IllegalArgumentException("exceeded maximum resolution of 11,000 points per timeseries. "
                    + "Try decreasing the query resolution (?step=XX)");
        }
    }

    /**
     * Plans, fetches every request concurrently from {@code source}, then evaluates on {@code cpuPool} (never on
     * the caller's event loop).
     */
    public Uni<QueryResult> execute(SeriesSource source, Executor cpuPool, Expr expr, long startMs, long endMs,
            long stepMs) {
        if (!(startMs == endMs && stepMs == 0)) {
            try {
                validateRange(startMs, endMs, stepMs);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(e);
            }
        }
        List<SelectRequest> requests = plan(expr, startMs, endMs, stepMs);
        if (requests.isEmpty()) {
            return Uni.createFrom().item(() -> evaluate(expr, startMs, endMs, stepMs, Map.of()))
                    .runSubscriptionOn(cpuPool);
        }
        List<Uni<List<RawSeries>>> fetches = new ArrayList<>(requests.size());
        for (SelectRequest r : requests) {
            fetches.add(source.select(r));
        }
        return Uni.combine().all().unis(fetches).with(results -> {
            Map<SelectRequest, List<RawSeries>> fetched = new HashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                @SuppressWarnings("unchecked")
                List<RawSeries> series = (List<RawSeries>) results.get(i);
                fetched.put(requests.get(i), series);
            }
            return fetched;
        }).emitOn(cpuPool).map(fetched -> evaluate(expr, startMs, endMs, stepMs, fetched));
    }
}
