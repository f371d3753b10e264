package io.tidemark.hosts;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.tidemark.proto.v1.DecommissionHostRequest;
import io.tidemark.proto.v1.DecommissionHostResponse;
import io.tidemark.proto.v1.HeartbeatRequest;
import io.tidemark.proto.v1.HeartbeatResponse;
import io.tidemark.proto.v1.HostServiceGrpc;
import io.tidemark.proto.v1.ListHostsRequest;
import io.tidemark.proto.v1.ListHostsResponse;
import io.tidemark.tenant.TenantGrpcInterceptor;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.util.Map;
import org.jboss.logging.Logger;

/** The gRPC edge of the hosts registry: protobuf in, {@link HostRegistry}, protobuf out. */
@GrpcService
public class HostGrpcService extends HostServiceGrpc.HostServiceImplBase {

    private static final Logger LOG = Logger.getLogger(HostGrpcService.class);

    private final HostRegistry registry;

    public HostGrpcService(HostRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        String tenant = TenantGrpcInterceptor.current();
        Heartbeat hb;
        try {
            hb = HeartbeatValidator.validate(request.getHostId(), request.getHostname(), request.getIpAddress(),
                    request.getAgentVersion(), request.getBufferDepth(), request.getLabelsMap(),
                    request.getSamplesDropped());
        } catch (InvalidHostInputException e) {
            response.onError(toStatus(e));
            return;
        }
        registry.heartbeat(tenant, hb).subscribe().with(host -> {
            response.onNext(HeartbeatResponse.newBuilder().setStatus(HostProto.status(host.status()))
                    .setServerTimeMs(System.currentTimeMillis()).build());
            response.onCompleted();
        }, failure -> response.onError(toStatus(failure)));
    }

    @Override
    public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> response) {
        String tenant = TenantGrpcInterceptor.current();
        HostStatus status;
        try {
            status = HostProto.status("status", request.getStatus());
            for (Map.Entry<String, String> e : request.getLabelsMap().entrySet()) {
                HeartbeatValidator.labelFilter("labels[" + e.getKey() + "]", e.getKey() + "=" + e.getValue());
            }
            if (request.getLimit() > HostRegistry.DEFAULT_LIMIT * 10) {
                throw new InvalidHostInputException("limit", request.getLimit() + " is over the maximum of "
                        + HostRegistry.DEFAULT_LIMIT * 10);
            }
        } catch (InvalidHostInputException e) {
            response.onError(toStatus(e));
            return;
        }
        registry.list(tenant, status, request.getLabelsMap(), request.getLimit()).subscribe().with(hosts -> {
            ListHostsResponse.Builder out = ListHostsResponse.newBuilder();
            hosts.forEach(h -> out.addHosts(HostProto.toProto(h)));
            response.onNext(out.build());
            response.onCompleted();
        }, failure -> response.onError(toStatus(failure)));
    }

    @Override
    public void decommissionHost(DecommissionHostRequest request, StreamObserver<DecommissionHostResponse> response) {
        String tenant = TenantGrpcInterceptor.current();
        try {
            registry.decommission(tenant, HeartbeatValidator.hostId("host_id", request.getHostId())).subscribe().with(
                    host -> {
                        response.onNext(DecommissionHostResponse.newBuilder().setHost(HostProto.toProto(host)).build());
                        response.onCompleted();
                    }, failure -> response.onError(toStatus(failure)));
        } catch (InvalidHostInputException e) {
            response.onError(toStatus(e));
        }
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof InvalidHostInputException) {
            return Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof HostnameTakenException) {
            return Status.ALREADY_EXISTS.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof HostNotFoundException) {
            return Status.NOT_FOUND.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof PgException || failure instanceof RuntimeException
                && !(failure instanceof VertxException)) {
            LOG.error("hosts call failed", failure);
            return Status.INTERNAL.withDescription("hosts call failed: " + failure).asRuntimeException();
        }
        // the pool's connection errors (closed, refused, not active) are not exceptions of ours: retry later
        return Status.UNAVAILABLE.withDescription("PostgreSQL unavailable: " + failure.getMessage()
                + "; retry the call").asRuntimeException();
    }
}
