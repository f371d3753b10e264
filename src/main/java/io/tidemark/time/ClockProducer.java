package io.tidemark.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The service's notion of "now" (UTC wall clock). Code that decides by the time of day (ingest's late and future
 * limits, alert evaluation) takes this {@link Clock}, so a test can run it at a time of its choosing by producing its
 * own {@code Clock} bean, which replaces this default one.
 */
@Singleton
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
