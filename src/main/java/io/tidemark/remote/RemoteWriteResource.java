package io.tidemark.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import io.smallrye.mutiny.Uni;
import io.tidemark.ingest.BatchTooLargeException;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.ingest.IngestResult;
import io.tidemark.ingest.IngestService;
import io.tidemark.ingest.Rejection;
import io.tidemark.remote.proto.WriteRequest;
import io.tidemark.storage.StorageUnavailableException;
import io.tidemark.storage.WriteQueueFullException;
import io.tidemark.tenant.Tenants;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 (snappy-compressed protobuf {@code WriteRequest}) into the
 * same ingest path as gRPC, with the same validation and durability: 204 only once every accepted sample is
 * committed. As the specification asks, a request with bad data gets a 4xx (Prometheus drops it and does not retry;
 * its good samples are stored all the same) and a failure worth retrying a 5xx.
 */
@Path("/api/v1/write")
public class RemoteWriteResource {

    private static final Logger LOG = Logger.getLogger(RemoteWriteResource.class);
    /** Rejections named in a 400 body; the rest are counted. */
    private static final int REJECTIONS_SHOWN = 10;

    private final IngestService ingest;
    private final IngestConfig config;

    public RemoteWriteResource(IngestService ingest, IngestConfig config) {
        this.ingest = ingest;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> write(@HeaderParam(Tenants.HEADER) String tenantHeader,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Encoding") String contentEncoding,
            byte[] body) {
        String tenant;
        WriteRequest request;
        try {
            tenant = Tenants.resolve(tenantHeader);
            checkHeaders(contentType, contentEncoding);
            request = WriteRequest.parseFrom(Snappy.decompress(body, config.maxBatchBytes()));
        } catch (RemoteRequestException e) {
            return Uni.createFrom().item(text(e.status(), e.getMessage()));
        } catch (InvalidProtocolBufferException e) {
            return Uni.createFrom().item(text(400, "the body is not a remote-write WriteRequest: " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(text(400, e.getMessage()));
        }
        return ingest.ingest(tenant, WriteRequestMapping.toIncoming(request))
                .map(RemoteWriteResource::answer)
                .onFailure().recoverWithItem(RemoteWriteResource::failure);
    }

    /** Remote write 1.0 only: a 2.0 sender is told so with 415, as the 2.0 specification asks. */
    static void checkHeaders(String contentType, String contentEncoding) {
        if (contentEncoding != null && !contentEncoding.isBlank() && !"snappy".equalsIgnoreCase(contentEncoding.trim())) {
            throw RemoteRequestException.unsupported("Content-Encoding \"" + contentEncoding
                    + "\" is not supported; remote write bodies are snappy-compressed");
        }
        if (contentType != null && contentType.contains("proto=") && !contentType.contains("prometheus.WriteRequest")) {
            throw RemoteRequestException.unsupported("Content-Type \"" + contentType
                    + "\": only remote write 1.0 (prometheus.WriteRequest) is supported");
        }
    }

    private static Response answer(IngestResult result) {
        List<Rejection> rejections = result.rejections();
        if (rejections.isEmpty()) {
            return Response.noContent().build();
        }
        StringBuilder message = new StringBuilder();
        long samples = rejections.stream().mapToLong(Rejection::samples).sum();
        message.append(samples).append(samples == 1 ? " sample was" : " samples were").append(" rejected, ")
                .append(result.accepted()).append(" stored");
        rejections.stream().limit(REJECTIONS_SHOWN).forEach(r -> message.append("\n").append(r.field()).append(": ")
                .append(r.code().label()).append(": ").append(r.reason()));
        if (rejections.size() > REJECTIONS_SHOWN) {
            message.append("\n… and ").append(rejections.size() - REJECTIONS_SHOWN).append(" more");
        }
        return text(400, message.toString());
    }

    private static Response failure(Throwable failure) {
        if (failure instanceof BatchTooLargeException) {
            return text(413, failure.getMessage());
        }
        if (failure instanceof WriteQueueFullException || failure instanceof StorageUnavailableException) {
            return Response.status(503).entity(failure.getMessage() + "; nothing was acknowledged, retry")
                    .type(MediaType.TEXT_PLAIN).header("Retry-After", "1").build();
        }
        LOG.warn("remote write failed", failure);
        return text(500, "remote write failed: " + failure);
    }

    static Response text(int status, String message) {
        return Response.status(status).entity(message).type(MediaType.TEXT_PLAIN).build();
    }
}
