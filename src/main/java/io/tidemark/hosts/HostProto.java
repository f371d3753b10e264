package io.tidemark.hosts;

import io.tidemark.proto.v1.HostStatus;

/** Domain hosts to protobuf and back. */
final class HostProto {

    private HostProto() {
    }

    static io.tidemark.proto.v1.HostStatus status(io.tidemark.hosts.HostStatus status) {
        return switch (status) {
            case ACTIVE -> HostStatus.HOST_STATUS_ACTIVE;
            case INACTIVE -> HostStatus.HOST_STATUS_INACTIVE;
            case DECOMMISSIONED -> HostStatus.HOST_STATUS_DECOMMISSIONED;
        };
    }

    /** null for UNSPECIFIED (every status). */
    static io.tidemark.hosts.HostStatus status(String field, HostStatus status) {
        return switch (status) {
            case HOST_STATUS_UNSPECIFIED -> null;
            case HOST_STATUS_ACTIVE -> io.tidemark.hosts.HostStatus.ACTIVE;
            case HOST_STATUS_INACTIVE -> io.tidemark.hosts.HostStatus.INACTIVE;
            case HOST_STATUS_DECOMMISSIONED -> io.tidemark.hosts.HostStatus.DECOMMISSIONED;
            default -> throw new InvalidHostInputException(field, "unknown status value");
        };
    }

    static io.tidemark.proto.v1.Host toProto(Host h) {
        return io.tidemark.proto.v1.Host.newBuilder().setHostId(h.hostId().toString()).setHostname(h.hostname())
                .setIpAddress(h.ipAddress()).setEnvironment(h.environment()).setDatacenter(h.datacenter())
                .setAgentVersion(h.agentVersion()).setStatus(status(h.status())).setLastSeenMs(h.lastSeen().toEpochMilli())
                .putAllLabels(h.tags()).setBufferDepth(h.bufferDepth()).setSamplesDropped(h.samplesDropped())
                .setCreatedMs(h.createdAt().toEpochMilli()).setUpdatedMs(h.updatedAt().toEpochMilli()).build();
    }
}
