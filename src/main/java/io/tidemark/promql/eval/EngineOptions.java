package io.tidemark.promql.eval;

/**
 * Settings of the PromQL {@link Engine}, with Prometheus 2.42's defaults.
 *
 * @param lookbackDeltaMs       how far back an instant selector looks for the latest sample
 *                              ({@code --query.lookback-delta}, 5m)
 * @param maxSamples            the most samples a query may hold in memory at once ({@code --query.max-samples},
 *                              50,000,000); beyond it the query fails with {@link QueryLimitException}
 * @param defaultSubqueryStepMs the step of a subquery written without one ({@code x[1h:]}); Prometheus uses its
 *                              global evaluation interval, 1m by default
 */
public record EngineOptions(long lookbackDeltaMs, long maxSamples, long defaultSubqueryStepMs) {

    public static final long DEFAULT_LOOKBACK_DELTA_MS = 5 * 60_000L;
    public static final long DEFAULT_MAX_SAMPLES = 50_000_000L;
    public static final long DEFAULT_SUBQUERY_STEP_MS = 60_000L;

    public EngineOptions {
        if (lookbackDeltaMs <= 0) {
            throw new IllegalArgumentException("lookbackDeltaMs must be positive: " + lookbackDeltaMs);
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("maxSamples must be positive: " + maxSamples);
        }
        if (defaultSubqueryStepMs <= 0) {
            throw new IllegalArgumentException("defaultSubqueryStepMs must be positive: " + defaultSubqueryStepMs);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(DEFAULT_LOOKBACK_DELTA_MS, DEFAULT_MAX_SAMPLES, DEFAULT_SUBQUERY_STEP_MS);
    }

    public EngineOptions withMaxSamples(long max) {
        return new EngineOptions(lookbackDeltaMs, max, defaultSubqueryStepMs);
    }

    public EngineOptions withLookbackDeltaMs(long lookback) {
        return new EngineOptions(lookback, maxSamples, defaultSubqueryStepMs);
    }
}
