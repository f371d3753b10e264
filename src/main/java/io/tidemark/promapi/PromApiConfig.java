package io.tidemark.promapi;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.promql.*}: PromQL evaluation behind the Prometheus HTTP API and remote read. */
@ConfigMapping(prefix = "tidemark.promql")
public interface PromApiConfig {

    /** How far back an instant selector looks for a sample (Prometheus' --query.lookback-delta). */
    @WithDefault("5m")
    Duration lookbackDelta();

    /** Samples one query may hold (Prometheus' --query.max-samples is 50,000,000; a JVM heap is smaller). */
    @WithDefault("10000000")
    long maxSamples();

    /** Series one selector may match. */
    @WithDefault("200000")
    int maxSeries();

    /** How long one query may run (Prometheus' --query.timeout); a request's {@code timeout} may shorten it. */
    @WithDefault("2m")
    Duration timeout();

    /** Points per series of a range query (Prometheus refuses more than 11,000). */
    @WithDefault("11000")
    int maxPointsPerSeries();
}
