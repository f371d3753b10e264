package io.tidemark.alerting;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code tidemark.alerting.*}: the rule evaluator, the dispatcher and the notification outbox. */
@ConfigMapping(prefix = "tidemark.alerting")
public interface AlertingConfig {

    /** Whether this replica takes part in evaluation (through the lease) and delivers the outbox. */
    @WithDefault("true")
    boolean enabled();

    /** How often the lease holder looks for due rule groups and runs the dispatcher (grouping timers resolve to this). */
    @WithDefault("1s")
    Duration tick();

    /** A rule group's interval when its file gives none. */
    @WithDefault("30s")
    Duration defaultInterval();

    /** How long the evaluator lease lasts unless renewed (every tick): a dead holder is replaced within this. */
    @WithDefault("10s")
    Duration leaseTtl();

    /** This replica's name in the lease; a random id when unset. */
    Optional<String> instanceId();

    /** The address put in notifications (externalURL, links). */
    @WithDefault("http://localhost:8080")
    String externalUrl();

    /** Whether this replica delivers the outbox (every replica may; claims keep them apart). */
    @WithDefault("true")
    boolean outboxEnabled();

    /** How long a claimed outbox row is reserved for its sender: a sender that died releases it after this. */
    @WithDefault("30s")
    Duration outboxClaim();

    /** How often each replica looks for due outbox rows (new rows are sent at once by the replica that decided them). */
    @WithDefault("1s")
    Duration outboxPoll();

    /** First retry delay of a failed delivery; doubled per attempt up to outbox-backoff-max. */
    @WithDefault("1s")
    Duration outboxBackoff();

    @WithDefault("5m")
    Duration outboxBackoffMax();

    /** Attempts after which a delivery is given up (kept in the table with its last error). */
    @WithDefault("50")
    int outboxMaxAttempts();
}
