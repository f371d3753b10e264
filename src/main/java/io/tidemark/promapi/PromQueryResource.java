package io.tidemark.promapi;

import io.smallrye.mutiny.Uni;
import io.tidemark.promql.Expr;
import io.tidemark.promql.ValueType;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.tenant.Tenants;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range}, GET and form POST (Grafana posts), with Prometheus'
 * parameters, limits, envelopes and error types. Series are read from PostgreSQL without blocking; evaluation runs
 * on the worker pool, never on the event loop.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PromQueryResource {

    private final PromqlExecutor promql;
    private final PromApiConfig config;

    public PromQueryResource(PromqlExecutor promql, PromApiConfig config) {
        this.promql = promql;
        this.config = config;
    }

    @GET
    @Path("/query")
    public Uni<Response> query(@HeaderParam(Tenants.HEADER) String tenant, @QueryParam("query") String query,
            @QueryParam("time") String time, @QueryParam("timeout") String timeout) {
        return PromMetadataResource.guarded(() -> instant(tenant, query, time, timeout));
    }

    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> queryPost(@HeaderParam(Tenants.HEADER) String tenant, @FormParam("query") String query,
            @FormParam("time") String time, @FormParam("timeout") String timeout) {
        return PromMetadataResource.guarded(() -> instant(tenant, query, time, timeout));
    }

    @GET
    @Path("/query_range")
    public Uni<Response> queryRange(@HeaderParam(Tenants.HEADER) String tenant, @QueryParam("query") String query,
            @QueryParam("start") String start, @QueryParam("end") String end, @QueryParam("step") String step,
            @QueryParam("timeout") String timeout) {
        return PromMetadataResource.guarded(() -> range(tenant, query, start, end, step, timeout));
    }

    @POST
    @Path("/query_range")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> queryRangePost(@HeaderParam(Tenants.HEADER) String tenant, @FormParam("query") String query,
            @FormParam("start") String start, @FormParam("end") String end, @FormParam("step") String step,
            @FormParam("timeout") String timeout) {
        return PromMetadataResource.guarded(() -> range(tenant, query, start, end, step, timeout));
    }

    private Uni<Response> instant(String tenantHeader, String query, String time, String timeout) {
        String tenant = Tenants.resolve(tenantHeader);
        long at = PromParams.time("time", time, System.currentTimeMillis());
        long timeoutMs = timeoutMs(timeout);
        Expr expr = PromParams.query(query);
        return run(tenant, expr, at, at, 0, timeoutMs);
    }

    private Uni<Response> range(String tenantHeader, String query, String start, String end, String step,
            String timeout) {
        String tenant = Tenants.resolve(tenantHeader);
        if (start == null || start.isEmpty()) {
            throw new PromParams.BadParameter("invalid parameter \"start\": cannot parse \"\" to a valid timestamp");
        }
        if (end == null || end.isEmpty()) {
            throw new PromParams.BadParameter("invalid parameter \"end\": cannot parse \"\" to a valid timestamp");
        }
        long from = PromParams.time("start", start, 0);
        long to = PromParams.time("end", end, 0);
        if (to < from) {
            throw new PromParams.BadParameter("invalid parameter \"end\": end timestamp must not be before start time");
        }
        if (step == null || step.isEmpty()) {
            throw new PromParams.BadParameter("invalid parameter \"step\": cannot parse \"\" to a valid duration");
        }
        long stepMs = PromParams.duration("step", step);
        if (stepMs <= 0) {
            throw new PromParams.BadParameter("invalid parameter \"step\": zero or negative query resolution step widths"
                    + " are not accepted. Try a positive integer");
        }
        if ((to - from) / stepMs > config.maxPointsPerSeries()) {
            throw new PromParams.BadParameter("exceeded maximum resolution of 11,000 points per timeseries. Try"
                    + " decreasing the query resolution (?step=XX)");
        }
        long timeoutMs = timeoutMs(timeout);
        Expr expr = PromParams.rangeQuery(query);
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.INSTANT_VECTOR) {
            throw new PromParams.BadParameter("invalid expression type \"" + expr.type().documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        return run(tenant, expr, from, to, stepMs, timeoutMs);
    }

    private long timeoutMs(String timeout) {
        return promql.timeoutMs(timeout == null || timeout.isEmpty() ? null : PromParams.duration("timeout", timeout));
    }

    private Uni<Response> run(String tenant, Expr expr, long start, long end, long step, long timeoutMs) {
        return promql.execute(tenant, expr, start, end, step, timeoutMs).map(PromQueryResource::answer);
    }

    static Response answer(QueryResult result) {
        return PromResponses.success(json -> ResultJson.write(json, result), result.warnings());
    }

}
