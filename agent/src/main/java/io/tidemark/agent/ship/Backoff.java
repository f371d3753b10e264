package io.tidemark.agent.ship;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: after the n-th consecutive failure the wait is drawn uniformly from
 * [base/2, base], base = min(max, min * 2^(n-1)). Jitter keeps a fleet that lost the service at the same moment
 * from reconnecting in step.
 */
public final class Backoff {

    private final long minMs;
    private final long maxMs;

    public Backoff(Duration min, Duration max) {
        this.minMs = Math.max(1, min.toMillis());
        this.maxMs = Math.max(minMs, max.toMillis());
    }

    public long baseMs(int failures) {
        int doublings = Math.min(Math.max(0, failures - 1), 30);
        return Math.min(maxMs, minMs << doublings);
    }

    public long delayMs(int failures) {
        long base = baseMs(failures);
        return base / 2 + ThreadLocalRandom.current().nextLong(base - base / 2 + 1);
    }
}
