package io.tidemark.storage;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps one partition of {@code samples} per UTC day, from the oldest day the raw retention accepts to
 * {@code partition-days-ahead} days after today, so every sample that passes validation has a home.
 * No extension needed: plain CREATE TABLE ... PARTITION OF, safe to run from several replicas at once.
 */
@Singleton
public class PartitionMaintainer {

    private static final Logger LOG = Logger.getLogger(PartitionMaintainer.class);
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Set<String> ALREADY_EXISTS = Set.of("42P07", "23505");

    private final Pool pool;
    private final RetentionConfig retention;
    private final StorageConfig config;
    private final Set<Long> knownDays = ConcurrentHashMap.newKeySet();

    public PartitionMaintainer(Pool pool, RetentionConfig retention, StorageConfig config) {
        this.pool = pool;
        this.retention = retention;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        ensureWindow().await().atMost(Duration.ofMinutes(2));
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return ensureWindow();
    }

    public Uni<Void> ensureWindow() {
        long now = System.currentTimeMillis();
        return ensureCovering(now - retention.raw().toMillis(), now + config.partitionDaysAhead() * DAY_MS);
    }

    /**
     * After a write found no partition: forgets what this instance believed about those days (a partition may
     * have been dropped meanwhile) and creates whatever is missing.
     */
    public Uni<Void> repairCovering(long fromMs, long toMs) {
        for (long day = Math.floorDiv(fromMs, DAY_MS); day <= Math.floorDiv(toMs, DAY_MS); day++) {
            knownDays.remove(day);
        }
        return ensureCovering(fromMs, toMs);
    }

    /** Creates the daily partitions covering [fromMs, toMs] that this instance has not seen yet. */
    public Uni<Void> ensureCovering(long fromMs, long toMs) {
        long first = Math.floorDiv(fromMs, DAY_MS);
        long last = Math.floorDiv(toMs, DAY_MS);
        return Multi.createFrom().range(0, (int) (last - first + 1))
                .map(i -> first + i)
                .filter(day -> !knownDays.contains(day))
                .onItem().transformToUniAndConcatenate(this::createDay)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> createDay(long day) {
        String table = partitionName(day);
        String sql = "CREATE TABLE IF NOT EXISTS " + table + " PARTITION OF samples FOR VALUES FROM (" + day * DAY_MS
                + ") TO (" + (day + 1) * DAY_MS + ")";
        return pool.query(sql).execute()
                .onFailure(f -> f instanceof PgException pg && ALREADY_EXISTS.contains(pg.getSqlState()))
                .recoverWithNull()
                .invoke(() -> {
                    if (knownDays.add(day)) {
                        LOG.debugf("partition %s ready", table);
                    }
                })
                .replaceWithVoid();
    }

    public static String partitionName(long day) {
        return "samples_" + LocalDate.ofEpochDay(day).format(SUFFIX);
    }
}
