package io.tidemark.promapi;

import io.smallrye.mutiny.Uni;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.PromQLPrinter;
import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.PromQLEvalException;
import io.tidemark.promql.eval.QueryLimitException;
import io.tidemark.query.QueryEngine;
import io.tidemark.query.QueryException;
import io.tidemark.query.RawSeriesReader;
import io.tidemark.tenant.Tenants;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The Prometheus HTTP API's metadata endpoints, as Grafana's metric browser and label pickers call them:
 * {@code series}, {@code labels}, {@code label/<name>/values}, {@code metadata}, {@code query_exemplars},
 * {@code status/buildinfo} and {@code format_query}. Every answer is for the tenant of {@code x-tidemark-tenant}.
 *
 * <p>With {@code match[]}, {@code start} and {@code end} limit the answer to series with samples in that range;
 * without {@code match[]}, labels and label values come from the whole series index.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PromMetadataResource {

    private static final Logger LOG = Logger.getLogger(PromMetadataResource.class);
    /** Prometheus' {@code model.LabelNameRE}, plus the dots Tidemark accepts in names. */
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");
    /** The Prometheus version whose API and PromQL semantics Tidemark follows; Grafana reads it. */
    static final String COMPATIBLE_VERSION = "2.42.0";

    private final RawSeriesReader reader;
    private final QueryEngine engine;
    private final PromqlExecutor promql;
    private final Pool pool;

    public PromMetadataResource(RawSeriesReader reader, QueryEngine engine, PromqlExecutor promql, Pool pool) {
        this.reader = reader;
        this.engine = engine;
        this.promql = promql;
        this.pool = pool;
    }

    @GET
    @Path("/series")
    public Uni<Response> series(@HeaderParam(Tenants.HEADER) String tenant, @QueryParam("match[]") List<String> match,
            @QueryParam("start") String start, @QueryParam("end") String end) {
        return guarded(() -> seriesAnswer(tenant, match, start, end));
    }

    @POST
    @Path("/series")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> seriesPost(@HeaderParam(Tenants.HEADER) String tenant, @FormParam("match[]") List<String> match,
            @FormParam("start") String start, @FormParam("end") String end) {
        return guarded(() -> seriesAnswer(tenant, match, start, end));
    }

    private Uni<Response> seriesAnswer(String tenantHeader, List<String> match, String start, String end) {
        String tenant = Tenants.resolve(tenantHeader);
        if (match == null || match.isEmpty()) {
            throw new PromParams.BadParameter("no match[] parameter provided");
        }
        List<List<LabelMatcher>> selectors = PromParams.selectors(match);
        long[] range = range(start, end);
        return matching(tenant, selectors, range).map(series -> PromResponses.success(json -> {
            json.writeStartArray();
            for (Labels l : series) {
                PromResponses.writeLabels(json, l);
            }
            json.writeEndArray();
        }));
    }

    @GET
    @Path("/labels")
    public Uni<Response> labels(@HeaderParam(Tenants.HEADER) String tenant, @QueryParam("match[]") List<String> match,
            @QueryParam("start") String start, @QueryParam("end") String end) {
        return guarded(() -> labelsAnswer(tenant, match, start, end));
    }

    @POST
    @Path("/labels")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> labelsPost(@HeaderParam(Tenants.HEADER) String tenant, @FormParam("match[]") List<String> match,
            @FormParam("start") String start, @FormParam("end") String end) {
        return guarded(() -> labelsAnswer(tenant, match, start, end));
    }

    private Uni<Response> labelsAnswer(String tenantHeader, List<String> match, String start, String end) {
        String tenant = Tenants.resolve(tenantHeader);
        Uni<List<String>> names;
        if (match == null || match.isEmpty()) {
            names = engine.labelNames(tenant, null);
        } else {
            List<List<LabelMatcher>> selectors = PromParams.selectors(match);
            names = matching(tenant, selectors, range(start, end)).map(series -> {
                TreeSet<String> all = new TreeSet<>();
                series.forEach(l -> {
                    for (int i = 0; i < l.size(); i++) {
                        all.add(l.name(i));
                    }
                });
                return List.copyOf(all);
            });
        }
        return names.map(n -> PromResponses.success(json -> PromResponses.writeStrings(json, n)));
    }

    @GET
    @Path("/label/{name}/values")
    public Uni<Response> labelValues(@HeaderParam(Tenants.HEADER) String tenantHeader, @PathParam("name") String name,
            @QueryParam("match[]") List<String> match, @QueryParam("start") String start, @QueryParam("end") String end) {
        return guarded(() -> {
            String tenant = Tenants.resolve(tenantHeader);
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new PromParams.BadParameter("invalid label name: " + io.tidemark.promql.GoText.quote(name));
            }
            Uni<List<String>> values;
            if (match == null || match.isEmpty()) {
                values = engine.labelValues(tenant, name, null);
            } else {
                values = matching(tenant, PromParams.selectors(match), range(start, end)).map(series -> {
                    TreeSet<String> all = new TreeSet<>();
                    series.forEach(l -> {
                        String v = l.get(name);
                        if (!v.isEmpty()) {
                            all.add(v);
                        }
                    });
                    return List.copyOf(all);
                });
            }
            return values.map(v -> PromResponses.success(json -> PromResponses.writeStrings(json, v)));
        });
    }

    @GET
    @Path("/metadata")
    public Uni<Response> metadata(@HeaderParam(Tenants.HEADER) String tenantHeader, @QueryParam("metric") String metric,
            @QueryParam("limit") String limit) {
        return guarded(() -> {
            String tenant = Tenants.resolve(tenantHeader);
            int max;
            try {
                max = limit == null || limit.isEmpty() ? -1 : Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw new PromParams.BadParameter("limit must be a number");
            }
            boolean one = metric != null && !metric.isEmpty();
            String sql = "SELECT name, type, unit, help FROM metric_metadata WHERE tenant = $1"
                    + (one ? " AND name = $2" : "") + " ORDER BY name" + (max > 0 ? " LIMIT " + max : "");
            Tuple params = one ? Tuple.of(tenant, metric) : Tuple.of(tenant);
            return pool.preparedQuery(sql).execute(params).map(rows -> {
                Map<String, Row> byName = new LinkedHashMap<>();
                rows.forEach(r -> byName.put(r.getString("name"), r));
                return PromResponses.success(json -> {
                    json.writeStartObject();
                    for (Map.Entry<String, Row> e : byName.entrySet()) {
                        Row r = e.getValue();
                        json.writeArrayFieldStart(e.getKey());
                        json.writeStartObject();
                        json.writeStringField("type", r.getString("type").isEmpty() ? "unknown" : r.getString("type"));
                        json.writeStringField("help", r.getString("help"));
                        json.writeStringField("unit", r.getString("unit"));
                        json.writeEndObject();
                        json.writeEndArray();
                    }
                    json.writeEndObject();
                });
            });
        });
    }

    /** Tidemark keeps no exemplars: always an empty list, as Prometheus answers without them. */
    @GET
    @Path("/query_exemplars")
    public Response exemplars(@QueryParam("query") String query) {
        try {
            PromParams.query(query);
        } catch (PromParams.BadParameter e) {
            return PromResponses.error(400, "bad_data", e.getMessage());
        }
        return PromResponses.success(json -> {
            json.writeStartArray();
            json.writeEndArray();
        });
    }

    @POST
    @Path("/query_exemplars")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response exemplarsPost(@FormParam("query") String query) {
        return exemplars(query);
    }

    @GET
    @Path("/status/buildinfo")
    public Response buildinfo() {
        String tidemark = getClass().getPackage().getImplementationVersion();
        return PromResponses.success(json -> PromResponses.writeMap(json, new LinkedHashMap<>(Map.of(
                "version", COMPATIBLE_VERSION,
                "revision", "tidemark-" + (tidemark == null ? "dev" : tidemark),
                "branch", "tidemark",
                "buildUser", "",
                "buildDate", "",
                "goVersion", ""))));
    }

    @GET
    @Path("/format_query")
    public Response formatQuery(@QueryParam("query") String query) {
        try {
            String formatted = PromQLPrinter.prettify(PromParams.query(query));
            return PromResponses.success(json -> json.writeString(formatted));
        } catch (PromParams.BadParameter e) {
            return PromResponses.error(400, "bad_data", e.getMessage());
        }
    }

    @POST
    @Path("/format_query")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response formatQueryPost(@FormParam("query") String query) {
        return formatQuery(query);
    }

    private long[] range(String start, String end) {
        if ((start == null || start.isEmpty()) && (end == null || end.isEmpty())) {
            return null;
        }
        long from = PromParams.time("start", start, Long.MIN_VALUE / 2);
        long to = PromParams.time("end", end, Long.MAX_VALUE / 2);
        if (to < from) {
            throw new PromParams.BadParameter("end timestamp must not be before start time");
        }
        return new long[] { from, to };
    }

    /** The union of the series every selector matches, sorted like Prometheus sorts series. */
    private Uni<List<Labels>> matching(String tenant, List<List<LabelMatcher>> selectors, long[] range) {
        RawSeriesReader.Budget budget = promql.budget(promql.timeoutMs(null));
        Uni<TreeSet<Labels>> all = Uni.createFrom().item(new TreeSet<>());
        for (List<LabelMatcher> matchers : selectors) {
            all = all.chain(acc -> reader.labels(tenant, matchers, range, budget).map(found -> {
                acc.addAll(found);
                return acc;
            }));
        }
        return all.map(ArrayList::new);
    }

    /** Runs an answer, turning refused parameters and failures into Prometheus' error envelope. */
    static Uni<Response> guarded(Supplier<Uni<Response>> answer) {
        Uni<Response> uni;
        try {
            uni = answer.get();
        } catch (RuntimeException e) {
            return Uni.createFrom().item(errorResponse(e));
        }
        return uni.onFailure().recoverWithItem(PromMetadataResource::errorResponse);
    }

    static Response errorResponse(Throwable failure) {
        if (failure instanceof PromParams.BadParameter || failure instanceof IllegalArgumentException) {
            return PromResponses.error(400, "bad_data", failure.getMessage());
        }
        if (failure instanceof QueryLimitException || failure instanceof PromQLEvalException) {
            return PromResponses.error(422, "execution", failure.getMessage());
        }
        if (failure instanceof QueryException q) {
            return switch (q.kind()) {
                case INVALID -> PromResponses.error(400, "bad_data", q.getMessage());
                case TIMEOUT -> PromResponses.error(503, "timeout", q.getMessage());
                default -> PromResponses.error(422, "execution", q.getMessage());
            };
        }
        LOG.warn("Prometheus API request failed", failure);
        return PromResponses.error(500, "internal", String.valueOf(failure.getMessage()));
    }
}
