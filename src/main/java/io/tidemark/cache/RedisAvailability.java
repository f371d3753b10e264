package io.tidemark.cache;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether the Redis cache can be used right now. Redis is optional and may go away at any time:
 * Tidemark then works without cache, and says so once per change, not per request.
 */
@ApplicationScoped
public class RedisAvailability {

    private static final Logger LOG = Logger.getLogger(RedisAvailability.class);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final String hosts;
    private final AtomicBoolean available = new AtomicBoolean(false);
    private final AtomicBoolean reported = new AtomicBoolean(false);

    public RedisAvailability(ReactiveRedisDataSource redis, @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
        this.redis = redis;
        this.hosts = hosts;
    }

    public boolean isAvailable() {
        return available.get();
    }

    /** A Redis call failed: stop using Redis until the next successful check. */
    public void markDown(Throwable cause) {
        if (available.get()) {
            LOG.debugf("Redis call failed: %s", cause.toString());
            update(false);
        }
    }

    void onStart(@Observes StartupEvent event) {
        check().subscribe().with(ignored -> {
        });
    }

    @Scheduled(every = "${tidemark.cache.redis-check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return redis.execute("PING").ifNoItem().after(PING_TIMEOUT).fail()
                .map(reply -> true).onFailure().recoverWithItem(false)
                .invoke(this::update).replaceWithVoid();
    }

    private void update(boolean nowAvailable) {
        boolean before = available.getAndSet(nowAvailable);
        boolean first = reported.compareAndSet(false, true);
        if (nowAvailable && (first || !before)) {
            LOG.infof("Redis at %s is available: hot-window cache on", hosts);
        } else if (!nowAvailable && (first || before)) {
            LOG.warnf("Redis at %s is not reachable: running without cache (PostgreSQL answers every query)", hosts);
        }
    }
}
