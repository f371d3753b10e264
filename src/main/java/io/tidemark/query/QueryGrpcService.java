package io.tidemark.query;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.BatchRequest;
import io.tidemark.proto.v1.BatchResponse;
import io.tidemark.proto.v1.CardinalityEntry;
import io.tidemark.proto.v1.CardinalityRequest;
import io.tidemark.proto.v1.CardinalityResponse;
import io.tidemark.proto.v1.InstantRequest;
import io.tidemark.proto.v1.InstantResponse;
import io.tidemark.proto.v1.LabelMatcher;
import io.tidemark.proto.v1.LabelNamesRequest;
import io.tidemark.proto.v1.LabelNamesResponse;
import io.tidemark.proto.v1.LabelValuesRequest;
import io.tidemark.proto.v1.LabelValuesResponse;
import io.tidemark.proto.v1.MutinyQueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.RangeResponse;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.SeriesLabels;
import io.tidemark.proto.v1.SeriesPoints;
import io.tidemark.proto.v1.SeriesRequest;
import io.tidemark.proto.v1.SeriesResponse;
import io.tidemark.tenant.TenantGrpcInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** The gRPC edge of queries: protobuf to {@link RangeQuery} and back; results stream in chunks of series. */
@GrpcService
public class QueryGrpcService extends MutinyQueryServiceGrpc.QueryServiceImplBase {

    private static final Logger LOG = Logger.getLogger(QueryGrpcService.class);
    private static final int SERIES_PER_MESSAGE = 500;
    private static final long DEFAULT_INSTANT_WINDOW_MS = 300_000;

    private final QueryEngine engine;

    public QueryGrpcService(QueryEngine engine) {
        this.engine = engine;
    }

    @Override
    public Multi<RangeResponse> range(RangeRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> engine.range(toQuery(tenant, request)))
                .onItem().transformToMulti(series -> Multi.createFrom().iterable(chunks(series)))
                .map(chunk -> RangeResponse.newBuilder().addAllSeries(chunk).build());
    }

    @Override
    public Uni<SeriesResponse> series(SeriesRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> engine.series(tenant, selector("selector", request.getSelector()), request.getStartMs(),
                request.getEndMs(), (int) request.getLimit()))
                .map(list -> SeriesResponse.newBuilder()
                        .addAllSeries(list.stream().map(l -> SeriesLabels.newBuilder().putAllLabels(l).build()).toList())
                        .build());
    }

    @Override
    public Uni<LabelNamesResponse> labelNames(LabelNamesRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> engine.labelNames(tenant,
                request.hasSelector() ? selector("selector", request.getSelector()) : null))
                .map(names -> LabelNamesResponse.newBuilder().addAllNames(names).build());
    }

    @Override
    public Uni<LabelValuesResponse> labelValues(LabelValuesRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> engine.labelValues(tenant, request.getName(),
                request.hasSelector() ? selector("selector", request.getSelector()) : null))
                .map(values -> LabelValuesResponse.newBuilder().addAllValues(values).build());
    }

    @Override
    public Uni<CardinalityResponse> cardinality(CardinalityRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return guarded(() -> engine.cardinality(tenant, request.getMetric(), Integer.toUnsignedLong(request.getLimit())))
                .map(report -> CardinalityResponse.newBuilder().setTotalSeries(report.totalSeries())
                        .setTotalLabelPairs(report.totalLabelPairs())
                        .addAllSeriesByMetric(entries(report.seriesByMetric()))
                        .addAllSeriesByLabelName(entries(report.seriesByLabelName()))
                        .addAllValuesByLabelName(entries(report.valuesByLabelName()))
                        .addAllSeriesByLabelPair(entries(report.seriesByLabelPair())).build());
    }

    private static List<CardinalityEntry> entries(List<CardinalityReport.Entry> entries) {
        return entries.stream().map(e -> CardinalityEntry.newBuilder().setName(e.name()).setCount(e.count()).build())
                .toList();
    }

    /** One bucket (time - window, time], default window 5 minutes; each point is stamped with {@code time_ms}. */
    @Override
    public Uni<InstantResponse> instant(InstantRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        long time = request.getTimeMs();
        return guarded(() -> {
            long window = request.getWindowMs() == 0 ? DEFAULT_INSTANT_WINDOW_MS : request.getWindowMs();
            if (window < 0) {
                throw QueryException.invalid("window_ms", "the window must be positive, got " + window);
            }
            return engine.range(RangeQuery.instant(tenant, selector("selector", request.getSelector()), time, window,
                    overTime(request.hasOverTime(), request.getOverTime()), request.getOverTime().getQuantile(),
                    request.hasAcross() ? across(request.getAcross()) : null, (int) request.getLimit()));
        }).map(series -> InstantResponse.newBuilder().addAllSeries(series.stream()
                // the one bucket's point, stamped with the evaluation time instead of the bucket start
                .map(s -> toPoints(new ResultSeries(s.labels(), new long[] { time }, new double[] { s.values()[0] })))
                .toList()).build());
    }

    /** Every query of the batch runs at once; each answers (or fails) on its own, tagged with its index. */
    @Override
    public Multi<BatchResponse> batch(BatchRequest request) {
        String tenant = TenantGrpcInterceptor.current();
        return Multi.createFrom().range(0, request.getQueriesCount()).onItem().transformToUniAndMerge(i -> {
            String field = "queries[" + i + "]";
            return guarded(() -> engine.range(toQuery(tenant, request.getQueries(i))))
                    .map(series -> BatchResponse.newBuilder().setQueryIndex(i).setResult(RangeResponse.newBuilder()
                            .addAllSeries(series.stream().map(QueryGrpcService::toPoints).toList())).build())
                    .onFailure().recoverWithItem(failure -> BatchResponse.newBuilder().setQueryIndex(i)
                            .setError(field + ": " + Status.fromThrowable(failure).getCode() + ": "
                                    + Status.fromThrowable(failure).getDescription())
                            .build());
        });
    }

    private static RangeQuery toQuery(String tenant, RangeRequest r) {
        return new RangeQuery(tenant, selector("selector", r.getSelector()), r.getStartMs(), r.getEndMs(), r.getStepMs(),
                overTime(r.hasOverTime(), r.getOverTime()), r.getOverTime().getQuantile(),
                r.hasAcross() ? across(r.getAcross()) : null, (int) r.getLimit());
    }

    private static AggregationFunction overTime(boolean given, Aggregation a) {
        return given && a.getFunction() != Aggregation.Function.FUNCTION_UNSPECIFIED
                ? function("over_time.function", a.getFunction())
                : AggregationFunction.AVG;
    }

    private static RangeQuery.CrossSeries across(io.tidemark.proto.v1.SeriesAggregation a) {
        return new RangeQuery.CrossSeries(function("across.aggregation.function", a.getAggregation().getFunction()),
                List.copyOf(a.getGroupByList()), List.copyOf(a.getWithoutList()));
    }

    private static AggregationFunction function(String field, Aggregation.Function f) {
        return switch (f) {
            case FUNCTION_AVG -> AggregationFunction.AVG;
            case FUNCTION_SUM -> AggregationFunction.SUM;
            case FUNCTION_MIN -> AggregationFunction.MIN;
            case FUNCTION_MAX -> AggregationFunction.MAX;
            case FUNCTION_COUNT -> AggregationFunction.COUNT;
            case FUNCTION_LAST -> AggregationFunction.LAST;
            case FUNCTION_QUANTILE -> AggregationFunction.QUANTILE;
            case FUNCTION_RATE -> AggregationFunction.RATE;
            case FUNCTION_INCREASE -> AggregationFunction.INCREASE;
            default -> throw QueryException.invalid(field, "unknown aggregation " + f);
        };
    }

    private static Selector selector(String field, io.tidemark.proto.v1.Selector s) {
        List<Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < s.getMatchersCount(); i++) {
            LabelMatcher m = s.getMatchers(i);
            String f = field + ".matchers[" + i + "]";
            Matcher.Type type = switch (m.getType()) {
                case TYPE_EQUAL -> Matcher.Type.EQUAL;
                case TYPE_NOT_EQUAL -> Matcher.Type.NOT_EQUAL;
                case TYPE_REGEX -> Matcher.Type.REGEX;
                case TYPE_NOT_REGEX -> Matcher.Type.NOT_REGEX;
                default -> throw QueryException.invalid(f + ".type", "matcher type is required");
            };
            matchers.add(Matcher.of(f, m.getName(), type, m.getValue()));
        }
        if (s.getMetric().isEmpty() && matchers.isEmpty()) {
            throw QueryException.invalid(field, "a metric name or at least one matcher is required");
        }
        return new Selector(s.getMetric(), matchers);
    }

    private static List<List<SeriesPoints>> chunks(List<ResultSeries> series) {
        List<List<SeriesPoints>> chunks = new ArrayList<>();
        List<SeriesPoints> current = new ArrayList<>();
        for (ResultSeries s : series) {
            current.add(toPoints(s));
            if (current.size() == SERIES_PER_MESSAGE) {
                chunks.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty() || chunks.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static SeriesPoints toPoints(ResultSeries s) {
        SeriesPoints.Builder b = SeriesPoints.newBuilder().putAllLabels(s.labels());
        for (int i = 0; i < s.timestamps().length; i++) {
            b.addPoints(Sample.newBuilder().setTimestampMs(s.timestamps()[i]).setValue(s.values()[i]));
        }
        return b.build();
    }

    /** Runs the call, mapping refusals (even those thrown while building the query) to precise gRPC statuses. */
    private static <T> Uni<T> guarded(Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().<T> deferred(call).onFailure().transform(QueryGrpcService::toStatus);
    }

    private static Throwable toStatus(Throwable failure) {
        if (failure instanceof QueryException q) {
            Status status = switch (q.kind()) {
                case INVALID -> Status.INVALID_ARGUMENT;
                case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
                case UNSUPPORTED -> Status.UNIMPLEMENTED;
                case TIMEOUT -> Status.DEADLINE_EXCEEDED;
            };
            return status.withDescription(q.getMessage()).asRuntimeException();
        }
        if (failure instanceof io.grpc.StatusRuntimeException) {
            return failure;
        }
        LOG.warn("query failed", failure);
        return Status.UNAVAILABLE.withDescription("query failed: " + failure.getMessage()).asRuntimeException();
    }
}
