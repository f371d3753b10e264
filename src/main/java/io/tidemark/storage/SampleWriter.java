package io.tidemark.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Executes one flush: new series, new metadata and all samples in one transaction, each as a single
 * statement over binary array parameters (no per-sample round trip). A flush with only known series is
 * one autocommitted INSERT.
 */
@Singleton
class SampleWriter {

    private static final String INSERT_SAMPLES = """
            INSERT INTO samples (series_id, ts, value)
            SELECT * FROM unnest($1::int8[], $2::int8[], $3::float8[])
            ON CONFLICT DO NOTHING""";

    // The final SELECT runs on the statement's snapshot, so it sees only series stored before this
    // statement: a row there with the same id but other labels is a hash collision.
    private static final String UPSERT_SERIES = """
            WITH input AS (
                SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[]) AS t(id, tenant, name, labels)
            ), inserted AS (
                INSERT INTO series (id, tenant, name, labels)
                SELECT id, tenant, name, labels::jsonb FROM input
                ON CONFLICT (id) DO NOTHING
                RETURNING id
            )
            SELECT i.id, false AS created FROM input i JOIN series s ON s.id = i.id
            WHERE (s.tenant, s.name, s.labels) IS DISTINCT FROM (i.tenant, i.name, i.labels::jsonb)
            UNION ALL
            SELECT id, true FROM inserted""";

    private static final String UPSERT_METADATA = """
            INSERT INTO metric_metadata (tenant, name, type, unit, help)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
            ON CONFLICT (tenant, name) DO UPDATE
            SET type = excluded.type, unit = excluded.unit, help = excluded.help, updated_at = now()""";

    private static final String NO_PARTITION = "23514";
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION = "40001";

    private final Pool pool;
    private final PartitionMaintainer partitions;

    SampleWriter(Pool pool, PartitionMaintainer partitions) {
        this.pool = pool;
        this.partitions = partitions;
    }

    /** What the series upsert found: ids refused as collisions and ids this flush created. */
    record SeriesResult(Set<Long> collided, Set<Long> created) {
        static final SeriesResult NONE = new SeriesResult(Set.of(), Set.of());
    }

    /** Samples of {@code plan} whose series collided are skipped; the result says which. */
    Uni<SeriesResult> write(FlushPlan plan) {
        return attempt(plan).onFailure(SampleWriter::isRetryable).recoverWithUni(failure -> {
            if (failure instanceof PgException pg && NO_PARTITION.equals(pg.getSqlState())) {
                return partitions.repairCovering(plan.minTimestamp(), plan.maxTimestamp()).chain(() -> attempt(plan));
            }
            return attempt(plan);
        });
    }

    private Uni<SeriesResult> attempt(FlushPlan plan) {
        if (plan.newSeries().isEmpty() && plan.metadata().isEmpty()) {
            return insertSamples(pool, plan, Set.of()).replaceWith(SeriesResult.NONE);
        }
        return pool.withTransaction(conn -> upsertMetadata(conn, plan.metadata())
                .chain(() -> upsertSeries(conn, plan.newSeries()))
                .call(result -> insertSamples(conn, plan, result.collided())));
    }

    private static boolean isRetryable(Throwable failure) {
        return failure instanceof PgException pg
                && (NO_PARTITION.equals(pg.getSqlState()) || DEADLOCK.equals(pg.getSqlState())
                        || SERIALIZATION.equals(pg.getSqlState()));
    }

    private Uni<Void> insertSamples(SqlClient client, FlushPlan plan, Set<Long> collided) {
        FlushPlan.Columns columns = plan.columnsWithout(collided);
        if (columns.size() == 0) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(INSERT_SAMPLES)
                .execute(Tuple.tuple().addArrayOfLong(columns.seriesIds()).addArrayOfLong(columns.timestamps())
                        .addArrayOfDouble(columns.values()))
                .replaceWithVoid();
    }

    private Uni<SeriesResult> upsertSeries(SqlClient client, List<SeriesKey> series) {
        if (series.isEmpty()) {
            return Uni.createFrom().item(SeriesResult.NONE);
        }
        int n = series.size();
        Long[] ids = new Long[n];
        String[] tenants = new String[n];
        String[] names = new String[n];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            SeriesKey key = series.get(i);
            ids[i] = key.id();
            tenants[i] = key.tenant();
            names[i] = key.name();
            labels[i] = key.labelsJson();
        }
        return client.preparedQuery(UPSERT_SERIES)
                .execute(Tuple.tuple().addArrayOfLong(ids).addArrayOfString(tenants).addArrayOfString(names)
                        .addArrayOfString(labels))
                .map(rows -> {
                    Set<Long> collided = new HashSet<>();
                    Set<Long> created = new HashSet<>();
                    for (Row row : rows) {
                        (row.getBoolean("created") ? created : collided).add(row.getLong("id"));
                    }
                    return new SeriesResult(collided, created);
                });
    }

    private Uni<Void> upsertMetadata(SqlClient client, List<MetricMetadata> metadata) {
        if (metadata.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = metadata.size();
        String[][] columns = new String[5][n];
        for (int i = 0; i < n; i++) {
            MetricMetadata m = metadata.get(i);
            columns[0][i] = m.tenant();
            columns[1][i] = m.name();
            columns[2][i] = m.type();
            columns[3][i] = m.unit();
            columns[4][i] = m.help();
        }
        Tuple params = Tuple.tuple();
        for (String[] column : columns) {
            params.addArrayOfString(column);
        }
        return client.preparedQuery(UPSERT_METADATA).execute(params).replaceWithVoid();
    }
}
