package io.tidemark.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's clock under test: the real UTC clock shifted by an offset a test sets (0 unless a test moves it;
 * a test that moves it puts it back with {@link #reset()}). Produced as the {@link Clock} bean, replacing the
 * service's default.
 */
public final class TestClock extends Clock {

    public static final TestClock INSTANCE = new TestClock();
    private final AtomicLong offsetMs = new AtomicLong();

    private TestClock() {
    }

    /** Moves the service's "now" by {@code ms} (negative: into the past). */
    public void shift(long ms) {
        offsetMs.addAndGet(ms);
    }

    public void reset() {
        offsetMs.set(0);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMs.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service clock is UTC");
    }

    @Singleton
    public static class Producer {
        @Produces
        @Singleton
        Clock clock() {
            return INSTANCE;
        }
    }
}
