package io.tidemark.hosts;

import java.util.UUID;

/** No host with this id in the tenant. */
public final class HostNotFoundException extends RuntimeException {

    public HostNotFoundException(String tenant, UUID hostId) {
        super("no host " + hostId + " in tenant " + tenant);
    }
}
