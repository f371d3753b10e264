package io.tidemark.hosts;

import java.util.UUID;

/** Another active host already has this hostname in the tenant. */
public final class HostnameTakenException extends RuntimeException {

    public HostnameTakenException(String hostname, UUID hostId) {
        super("hostname \"" + hostname + "\" belongs to the active host " + hostId
                + "; decommission it first, or give this host another hostname");
    }
}
