package io.tidemark.alerting.eval;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * The querier until the PromQL engine is wired in (io.tidemark.promql.eval): every evaluation fails with this
 * message, so rule groups show health "err" and count failures instead of silently never firing. Any other
 * {@link RuleQuerier} bean replaces it.
 */
@DefaultBean
@Singleton
public class UnavailableRuleQuerier implements RuleQuerier {

    @Override
    public Uni<List<AlertSample>> instant(String tenant, String promql, Instant t) {
        return Uni.createFrom().failure(new IllegalStateException(
                "PromQL evaluation is not available in this build: rules are stored and validated but not evaluated"));
    }
}
