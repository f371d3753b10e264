package io.tidemark.alerting.eval;

import io.smallrye.mutiny.Uni;
import io.tidemark.promapi.PromqlExecutor;
import io.tidemark.promql.PromQLParser;
import io.tidemark.promql.eval.QueryResult;
import jakarta.inject.Singleton;
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

    private final PromqlExecutor promql;

    public EngineRuleQuerier(PromqlExecutor promql) {
        this.promql = promql;
    }

    @Override
    public Uni<List<AlertSample>> instant(String tenant, String promql, Instant t) {
        long at = t.toEpochMilli();
        long timeoutMs = this.promql.timeoutMs(null);
        return Uni.createFrom().item(() -> PromQLParser.parse(promql))
                .chain(expr -> this.promql.execute(tenant, expr, at, at, 0, timeoutMs))
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
