package io.tidemark.alerting;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;

/**
 * The evaluator's and dispatcher's notion of now: the system clock, replaceable (tests move time forward to run
 * for, keep_firing_for, group and repeat intervals, silences and escalation without waiting).
 */
@Singleton
public class AlertingClock {

    private volatile Clock clock = Clock.systemUTC();

    public long nowMs() {
        return clock.millis();
    }

    public Instant now() {
        return clock.instant();
    }

    public void use(Clock clock) {
        this.clock = clock;
    }
}
