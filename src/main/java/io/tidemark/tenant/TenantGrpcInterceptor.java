package io.tidemark.tenant;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the tenant from the {@code x-tidemark-tenant} metadata of every gRPC call into the call's Context. */
@GlobalInterceptor
@ApplicationScoped
public class TenantGrpcInterceptor implements ServerInterceptor {

    public static final Context.Key<String> TENANT = Context.key("tidemark-tenant");
    private static final Metadata.Key<String> HEADER = Metadata.Key.of(Tenants.HEADER, Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String tenant;
        try {
            tenant = Tenants.resolve(headers.get(HEADER));
        } catch (IllegalArgumentException e) {
            call.close(Status.INVALID_ARGUMENT.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(TENANT, tenant), call, headers, next);
    }

    /** The tenant of the gRPC call running on this thread. */
    public static String current() {
        String tenant = TENANT.get();
        return tenant == null ? Tenants.DEFAULT : tenant;
    }
}
