package io.tidemark.promapi;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tidemark.promql.Expr;
import io.tidemark.promql.eval.Engine;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.query.QueryException;
import io.tidemark.query.RawSeriesReader;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * PromQL over Tidemark's storage with the {@code tidemark.promql.*} limits: the one place that builds the engine and
 * the read budget, for the HTTP API, remote read and the alerting rules.
 */
@Singleton
public class PromqlExecutor {

    private final RawSeriesReader reader;
    private final PromApiConfig config;
    private final Engine engine;

    public PromqlExecutor(RawSeriesReader reader, PromApiConfig config) {
        this.reader = reader;
        this.config = config;
        this.engine = new Engine(EngineOptions.defaults().withLookbackDeltaMs(config.lookbackDelta().toMillis())
                .withMaxSamples(config.maxSamples()));
    }

    /** What one request may read, until {@code timeoutMs} from now. */
    public RawSeriesReader.Budget budget(long timeoutMs) {
        return RawSeriesReader.Budget.of(config.maxSeries(), config.maxSamples(), System.nanoTime() + timeoutMs * 1_000_000);
    }

    /** The configured timeout, or a shorter one a request asks for (null: none asked). */
    public long timeoutMs(Long requestedMs) {
        long max = config.timeout().toMillis();
        return requestedMs == null ? max : Math.min(max, requestedMs);
    }

    /** Evaluates on the worker pool; fails with a {@code TIMEOUT} {@link QueryException} past {@code timeoutMs}. */
    public Uni<QueryResult> execute(String tenant, Expr expr, long startMs, long endMs, long stepMs, long timeoutMs) {
        return engine.execute(reader.forTenant(tenant, budget(timeoutMs)), Infrastructure.getDefaultWorkerPool(), expr,
                        startMs, endMs, stepMs)
                .ifNoItem().after(Duration.ofMillis(timeoutMs))
                .failWith(() -> new QueryException(QueryException.Kind.TIMEOUT, "query timed out in query execution"));
    }
}
