package io.tidemark.hosts;

import java.util.Map;
import java.util.UUID;

/** What an agent reports about its host, validated ({@link HeartbeatValidator}). */
public record Heartbeat(UUID hostId, String hostname, String ipAddress, String agentVersion, long bufferDepth,
        Map<String, String> labels, long samplesDropped) {

    public String environment() {
        return labels.getOrDefault("environment", "");
    }

    public String datacenter() {
        return labels.getOrDefault("datacenter", "");
    }
}
