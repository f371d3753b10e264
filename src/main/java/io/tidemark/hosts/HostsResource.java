package io.tidemark.hosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.tidemark.tenant.Tenants;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/hosts?status=&label=name=value&limit=}: the hosts registry as JSON
 * ({@code {"status":"success","data":[...]}}); {@code POST /api/v1/hosts/{host_id}/decommission}. Errors use the
 * Prometheus error envelope.
 */
@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
public class HostsResource {

    private final HostRegistry registry;
    private final ObjectMapper mapper;

    public HostsResource(HostRegistry registry, ObjectMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
    }

    @GET
    public Uni<Response> list(@HeaderParam(Tenants.HEADER) String tenantHeader, @QueryParam("status") String status,
            @QueryParam("label") List<String> labels, @QueryParam("limit") String limit) {
        String tenant;
        HostStatus wanted = null;
        Map<String, String> filter = new LinkedHashMap<>();
        int max;
        try {
            tenant = Tenants.resolve(tenantHeader);
            if (status != null && !status.isEmpty()) {
                try {
                    wanted = HostStatus.fromLabel(status);
                } catch (IllegalArgumentException e) {
                    throw new InvalidHostInputException("status", e.getMessage());
                }
            }
            for (String label : labels) {
                Map.Entry<String, String> e = HeartbeatValidator.labelFilter("label", label);
                filter.put(e.getKey(), e.getValue());
            }
            max = limit(limit);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(error(400, "bad_data", e.getMessage()));
        }
        return registry.list(tenant, wanted, filter, max).map(hosts -> {
            ObjectNode body = mapper.createObjectNode().put("status", "success");
            ArrayNode data = body.putArray("data");
            hosts.forEach(h -> data.add(json(h)));
            return Response.ok(body).build();
        }).onFailure().recoverWithItem(this::failure);
    }

    @POST
    @Path("/{hostId}/decommission")
    public Uni<Response> decommission(@HeaderParam(Tenants.HEADER) String tenantHeader,
            @PathParam("hostId") String hostId) {
        try {
            String tenant = Tenants.resolve(tenantHeader);
            return registry.decommission(tenant, HeartbeatValidator.hostId("host_id", hostId))
                    .map(h -> Response.ok(mapper.createObjectNode().put("status", "success").set("data", json(h)))
                            .build())
                    .onFailure().recoverWithItem(this::failure);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(error(400, "bad_data", e.getMessage()));
        }
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return HostRegistry.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n < 1 || n > HostRegistry.DEFAULT_LIMIT * 10) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidHostInputException("limit", "\"" + text + "\" must be a whole number in 1.."
                    + HostRegistry.DEFAULT_LIMIT * 10);
        }
    }

    private ObjectNode json(Host h) {
        ObjectNode node = mapper.createObjectNode();
        node.put("host_id", h.hostId().toString()).put("hostname", h.hostname()).put("ip_address", h.ipAddress())
                .put("environment", h.environment()).put("datacenter", h.datacenter())
                .put("agent_version", h.agentVersion()).put("status", h.status().label())
                .put("last_seen", h.lastSeen().toString());
        ObjectNode tags = node.putObject("tags");
        h.tags().forEach(tags::put);
        node.put("buffer_depth", h.bufferDepth()).put("samples_dropped", h.samplesDropped())
                .put("created_at", h.createdAt().toString()).put("updated_at", h.updatedAt().toString());
        return node;
    }

    private Response failure(Throwable failure) {
        if (failure instanceof HostNotFoundException) {
            return error(404, "not_found", failure.getMessage());
        }
        if (failure instanceof PgException || failure instanceof RuntimeException
                && !(failure instanceof VertxException)) {
            return error(500, "internal", String.valueOf(failure));
        }
        return error(503, "unavailable", "PostgreSQL unavailable: " + failure.getMessage());
    }

    private Response error(int status, String type, String message) {
        ObjectNode body = mapper.createObjectNode().put("status", "error").put("errorType", type).put("error", message);
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON).build();
    }
}
