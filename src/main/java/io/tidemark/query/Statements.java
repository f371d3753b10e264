package io.tidemark.query;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one statement on its own connection; at the deadline PostgreSQL is asked to cancel it, so an abandoned
 * query stops costing the database too.
 */
final class Statements {

    private Statements() {
    }

    static Uni<RowSet<Row>> execute(Pool pool, String sql, Tuple params, long deadlineNanos,
            Supplier<? extends RuntimeException> timeout) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return Uni.createFrom().failure(timeout.get());
        }
        return pool.withConnection(conn -> conn.preparedQuery(sql).execute(params)
                .ifNoItem().after(Duration.ofNanos(remaining)).recoverWithUni(() -> PgConnection.cast(conn)
                        .cancelRequest().onItemOrFailure()
                        .transformToUni((ignored, f) -> Uni.createFrom().failure(timeout.get()))));
    }
}
