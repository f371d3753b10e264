package io.tidemark.hosts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.hosts.*}: the hosts registry. Documented in docs/configuration.md and docs/agent.md. */
@ConfigMapping(prefix = "tidemark.hosts")
public interface HostsConfig {

    /** A host with no heartbeat for this long becomes inactive (and its tidemark_host_up turns 0). */
    @WithDefault("5m")
    Duration inactiveAfter();

    /** How often the status job runs: marks hosts inactive, publishes tidemark_host_up. */
    @WithDefault("30s")
    Duration checkInterval();

    /** Whether the status job runs on this replica (tests run it themselves). */
    @WithDefault("true")
    boolean jobEnabled();
}
