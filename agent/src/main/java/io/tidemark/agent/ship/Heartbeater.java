package io.tidemark.agent.ship;

import io.grpc.StatusRuntimeException;
import io.tidemark.agent.self.AgentStats;
import io.tidemark.proto.v1.HeartbeatRequest;
import io.tidemark.proto.v1.HostServiceGrpc;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Reports the host to the service's registry (HostService/Heartbeat) on the endpoint batches currently go to. */
public final class Heartbeater implements Runnable {

    private static final Logger LOG = Logger.getLogger(Heartbeater.class.getName());

    /** What the agent says about its host. */
    public record Identity(String hostId, String hostname, String ip, String agentVersion, Map<String, String> labels) {
    }

    private final Identity identity;
    private final Endpoints endpoints;
    private final DiskBuffer buffer;
    private final AgentStats stats;
    private String lastError = "";

    public Heartbeater(Identity identity, Endpoints endpoints, DiskBuffer buffer, AgentStats stats) {
        this.identity = identity;
        this.endpoints = endpoints;
        this.buffer = buffer;
        this.stats = stats;
    }

    /** The registry keeps at most 20 characters of the version. */
    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public void run() {
        HeartbeatRequest request = HeartbeatRequest.newBuilder().setHostId(identity.hostId())
                .setHostname(identity.hostname()).setIpAddress(identity.ip())
                .setAgentVersion(truncate(identity.agentVersion(), 20))
                .setBufferDepth(buffer.batches()).putAllLabels(identity.labels())
                .setSamplesDropped(stats.samplesDropped.get()).build();
        try {
            HostServiceGrpc.newBlockingStub(endpoints.currentChannel()).withInterceptors(endpoints.headers())
                    .withDeadlineAfter(10, TimeUnit.SECONDS).heartbeat(request);
            stats.heartbeatsSent.increment();
            lastError = "";
        } catch (StatusRuntimeException e) {
            stats.heartbeatFailures.increment();
            if (!e.getMessage().equals(lastError)) {
                LOG.warning("heartbeat to " + endpoints.current() + " failed: " + e.getMessage());
                lastError = e.getMessage();
            }
        }
    }
}
