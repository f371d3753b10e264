package io.tidemark.agent.ship;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.tidemark.agent.config.AgentConfig;
import java.util.concurrent.TimeUnit;

/** The primary and optional backup endpoint, one gRPC channel each, and which of them is in use. */
public final class Endpoints implements AutoCloseable {

    private final AgentConfig.Endpoint primary;
    private final AgentConfig.Endpoint backup;
    private final ManagedChannel primaryChannel;
    private final ManagedChannel backupChannel;
    private final ClientInterceptor headers;
    private volatile boolean onBackup;

    public Endpoints(AgentConfig.Endpoint primary, AgentConfig.Endpoint backup, String tenant, String apiKey) {
        this.primary = primary;
        this.backup = backup;
        this.primaryChannel = channel(primary);
        this.backupChannel = backup == null ? null : channel(backup);
        Metadata metadata = new Metadata();
        if (!tenant.isEmpty()) {
            metadata.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), tenant);
        }
        if (!apiKey.isEmpty()) {
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        }
        this.headers = MetadataUtils.newAttachHeadersInterceptor(metadata);
    }

    private static ManagedChannel channel(AgentConfig.Endpoint endpoint) {
        OkHttpChannelBuilder builder = OkHttpChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                .keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS)
                .maxInboundMessageSize(4 << 20);
        if (endpoint.tls()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        return builder.build();
    }

    public boolean hasBackup() {
        return backup != null;
    }

    public boolean onBackup() {
        return onBackup;
    }

    public void useBackup(boolean backup) {
        onBackup = backup && hasBackup();
    }

    public AgentConfig.Endpoint current() {
        return onBackup ? backup : primary;
    }

    public ManagedChannel currentChannel() {
        return onBackup ? backupChannel : primaryChannel;
    }

    public ClientInterceptor headers() {
        return headers;
    }

    @Override
    public void close() {
        primaryChannel.shutdownNow();
        if (backupChannel != null) {
            backupChannel.shutdownNow();
        }
    }
}
