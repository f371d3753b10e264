package io.tidemark.hosts;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One row of the hosts registry. */
public record Host(String tenant, UUID hostId, String hostname, String ipAddress, String environment,
        String datacenter, String agentVersion, Instant lastSeen, HostStatus status, Map<String, String> tags,
        long bufferDepth, long samplesDropped, Instant createdAt, Instant updatedAt) {
}
