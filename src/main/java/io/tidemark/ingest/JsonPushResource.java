package io.tidemark.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.tidemark.storage.StorageUnavailableException;
import io.tidemark.storage.WriteQueueFullException;
import io.tidemark.tenant.Tenants;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import io.tidemark.promapi.PromResponses;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /api/v1/metrics}: JSON push for scripts and curl, in both shapes of the seed documents.
 * Same validation and durability as gRPC: 200 once the accepted samples are committed, with every
 * rejected sample's index and reason.
 */
@Path("/api/v1/metrics")
public class JsonPushResource {

    private final IngestService ingest;
    private final ObjectMapper mapper;

    public JsonPushResource(IngestService ingest, ObjectMapper mapper) {
        this.ingest = ingest;
        this.mapper = mapper;
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.WILDCARD })
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> push(@HeaderParam(Tenants.HEADER) String tenantHeader, byte[] body) {
        String tenant;
        JsonPushParser.Parsed parsed;
        try {
            tenant = Tenants.resolve(tenantHeader);
            ingest.checkSize(body.length);
            parsed = JsonPushParser.parse(mapper.readTree(body));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(PromResponses.error(400, "bad_data", "invalid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr())));
        } catch (IOException | IllegalArgumentException e) {
            return Uni.createFrom().item(PromResponses.error(400, "bad_data", e.getMessage()));
        } catch (BatchTooLargeException e) {
            return Uni.createFrom().item(PromResponses.error(413, "bad_data", e.getMessage()));
        }
        return ingest.ingest(tenant, parsed.series())
                .map(result -> answer(parsed, result))
                .onFailure().recoverWithItem(this::failure);
    }

    private Response answer(JsonPushParser.Parsed parsed, IngestResult result) {
        List<Rejection> rejections = parsed.mergeRejections(result.rejections());
        ObjectNode body = mapper.createObjectNode();
        body.put("status", "success");
        body.put("accepted", result.accepted());
        ArrayNode rejected = body.putArray("rejected");
        for (Rejection r : rejections) {
            rejected.addObject().put("index", r.seriesIndex()).put("field", r.field()).put("code", r.code().label())
                    .put("reason", r.reason());
        }
        boolean nothingStored = result.accepted() == 0 && !rejections.isEmpty();
        if (nothingStored) {
            body.put("status", "error").put("errorType", "bad_data").put("error", "every sample was rejected");
        }
        return Response.status(nothingStored ? 400 : 200).entity(body).type(MediaType.APPLICATION_JSON).build();
    }

    private Response failure(Throwable failure) {
        if (failure instanceof BatchTooLargeException) {
            return PromResponses.error(413, "bad_data", failure.getMessage());
        }
        if (failure instanceof WriteQueueFullException) {
            return PromResponses.error(429, "unavailable", failure.getMessage());
        }
        if (failure instanceof StorageUnavailableException) {
            return PromResponses.error(503, "unavailable", failure.getMessage() + "; nothing was acknowledged, retry");
        }
        return PromResponses.error(500, "internal", String.valueOf(failure));
    }

    }
