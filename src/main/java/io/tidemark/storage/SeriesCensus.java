package io.tidemark.storage;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What the {@code series} table holds, for the series limits: the counts per tenant and metric name, loaded at
 * start and recounted every {@code tidemark.ingest.series-count-refresh} (other replicas create series too), and
 * which of some ids are stored.
 */
@Singleton
public class SeriesCensus {

    private static final Logger LOG = Logger.getLogger(SeriesCensus.class);
    private static final String COUNT = "SELECT tenant, name, count(*) FROM series GROUP BY 1, 2";
    private static final String STORED = "SELECT id FROM series WHERE id = ANY($1)";

    private final Pool pool;
    private final SeriesCounts counts;

    public SeriesCensus(Pool pool, SeriesRegistry registry) {
        this.pool = pool;
        this.counts = registry.counts();
    }

    void onStart(@Observes StartupEvent event) {
        refresh().await().atMost(Duration.ofMinutes(2));
    }

    @Scheduled(every = "${tidemark.ingest.series-count-refresh:30s}", delayed = "${tidemark.ingest.series-count-refresh:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return refresh().onFailure().recoverWithItem(failure -> {
            LOG.warnf("series count refresh failed (the limits keep the counts they have): %s", failure.getMessage());
            return null;
        });
    }

    /** Replaces the in-memory counts with a fresh count of the {@code series} table. */
    public Uni<Void> refresh() {
        return pool.query(COUNT).execute().invoke(rows -> {
            List<SeriesCounts.Count> loaded = new ArrayList<>(rows.size());
            for (Row row : rows) {
                loaded.add(new SeriesCounts.Count(row.getString(0), row.getString(1), row.getLong(2)));
            }
            counts.replaceWith(loaded);
        }).replaceWithVoid();
    }

    /** The ids among {@code ids} that have a row in {@code series} (one primary-key lookup each). */
    public Uni<Set<Long>> storedAmong(Long[] ids) {
        return pool.preparedQuery(STORED).execute(Tuple.tuple().addArrayOfLong(ids)).map(rows -> {
            Set<Long> stored = new HashSet<>();
            rows.forEach(row -> stored.add(row.getLong(0)));
            return stored;
        });
    }
}
