package io.tidemark.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.tidemark.tenant.Tenants;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import io.tidemark.promapi.PromResponses;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/status/tsdb[?limit=N]}: the cardinality report in the shape of Prometheus' TSDB status, for
 * the tenant of the {@code x-tidemark-tenant} header. {@code headStats} holds {@code numSeries} and
 * {@code numLabelPairs} only (there are no chunks, and the series table has no time range);
 * {@code memoryInBytesByLabelName} is always empty.
 */
@Path("/api/v1/status/tsdb")
public class TsdbStatusResource {

    private static final Logger LOG = Logger.getLogger(TsdbStatusResource.class);

    private final QueryEngine engine;
    private final ObjectMapper mapper;

    public TsdbStatusResource(QueryEngine engine, ObjectMapper mapper) {
        this.engine = engine;
        this.mapper = mapper;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> status(@HeaderParam(Tenants.HEADER) String tenantHeader, @QueryParam("limit") String limit) {
        String tenant;
        long requested;
        try {
            tenant = Tenants.resolve(tenantHeader);
            requested = limit == null || limit.isEmpty() ? 0 : Long.parseLong(limit);
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(PromResponses.error(400, "bad_data", "limit: \"" + limit + "\" is not a whole number"));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(PromResponses.error(400, "bad_data", e.getMessage()));
        }
        return Uni.createFrom().deferred(() -> engine.cardinality(tenant, "", requested))
                .map(this::answer)
                .onFailure().recoverWithItem(this::failure);
    }

    private Response answer(CardinalityReport report) {
        ObjectNode body = mapper.createObjectNode().put("status", "success");
        ObjectNode data = body.putObject("data");
        data.putObject("headStats").put("numSeries", report.totalSeries()).put("numLabelPairs", report.totalLabelPairs());
        entries(data.putArray("seriesCountByMetricName"), report.seriesByMetric());
        entries(data.putArray("labelValueCountByLabelName"), report.valuesByLabelName());
        data.putArray("memoryInBytesByLabelName");
        entries(data.putArray("seriesCountByLabelValuePair"), report.seriesByLabelPair());
        entries(data.putArray("seriesCountByLabelName"), report.seriesByLabelName());
        return Response.ok(body).type(MediaType.APPLICATION_JSON).build();
    }

    private static void entries(ArrayNode array, List<CardinalityReport.Entry> entries) {
        entries.forEach(e -> array.addObject().put("name", e.name()).put("value", e.count()));
    }

    private Response failure(Throwable failure) {
        if (failure instanceof QueryException q) {
            return switch (q.kind()) {
                case INVALID -> PromResponses.error(400, "bad_data", q.getMessage());
                case TIMEOUT -> PromResponses.error(503, "timeout", q.getMessage());
                default -> PromResponses.error(422, "execution", q.getMessage());
            };
        }
        LOG.warn("cardinality report failed", failure);
        return PromResponses.error(503, "unavailable", "cardinality report failed: " + failure.getMessage());
    }

    }
