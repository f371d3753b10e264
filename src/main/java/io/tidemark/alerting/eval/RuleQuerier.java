package io.tidemark.alerting.eval;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * What the evaluator needs from PromQL: the instant vector of {@code promql} at time {@code t} for a tenant.
 * A scalar result is one sample without labels. Failures (bad query, storage down) fail the Uni; the evaluator
 * counts them per group and keeps the alerts' states as they were.
 */
public interface RuleQuerier {

    Uni<List<AlertSample>> instant(String tenant, String promql, Instant t);
}
