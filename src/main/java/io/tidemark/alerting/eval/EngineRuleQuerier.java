package io.tidemark.alerting.eval;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tidemark.promapi.PromApiConfig;
import io.tidemark.promql.PromQLParser;
import io.tidemark.promql.eval.Engine;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.query.RawSeriesReader;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rule expressions evaluated by the PromQL engine over the tenant's stored samples, with the limits of
 * {@code tidemark.promql.*} (lookback delta, series, samples, timeout). An instant vector is the result; a scalar
 * is one sample without labels (as Prometheus' rule manager takes it); anything else fails the rule.
 */
@Singleton
public class EngineRuleQuerier implements RuleQuerier {

    private final RawSeriesReader reader;
    private final PromApiConfig config;
    private final Engine engine;

    public EngineRuleQuerier(RawSeriesReader reader, PromApiConfig config) {
        this.reader = reader;
        this.config = config;
        this.engine = new Engine(EngineOptions.defaults().withLookbackDeltaMs(config.lookbackDelta().toMillis())
                .withMaxSamples(config.maxSamples()));
    }

    @Override
    public Uni<List<AlertSample>> instant(String tenant, String promql, Instant t) {
        long at = t.toEpochMilli();
        long timeoutMs = config.timeout().toMillis();
        RawSeriesReader.Budget budget = RawSeriesReader.Budget.of(config.maxSeries(), config.maxSamples(),
                System.nanoTime() + timeoutMs * 1_000_000);
        return Uni.createFrom().item(() -> PromQLParser.parse(promql))
                .chain(expr -> engine.execute(reader.forTenant(tenant, budget), Infrastructure.getDefaultWorkerPool(),
                        expr, at, at, 0))
                .ifNoItem().after(Duration.ofMillis(timeoutMs))
                .failWith(() -> new IllegalStateException("rule query timed out after " + timeoutMs + " ms"))
                .map(EngineRuleQuerier::samples);
    }

    static List<AlertSample> samples(QueryResult result) {
        if (result instanceof QueryResult.Vector v) {
            List<AlertSample> out = new ArrayList<>(v.samples().size());
            for (QueryResult.Sample s : v.samples()) {
                out.add(new AlertSample(s.labels().toMap(), s.v()));
            }
            return out;
        }
        if (result instanceof QueryResult.Scalar s) {
            return List.of(new AlertSample(Map.of(), s.v()));
        }
        throw new IllegalStateException("rule result is not a vector or scalar: "
                + result.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }
}
