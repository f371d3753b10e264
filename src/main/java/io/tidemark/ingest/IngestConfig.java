package io.tidemark.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.ingest.*}: validation limits and the write batcher. Documented in docs/configuration.md. */
@ConfigMapping(prefix = "tidemark.ingest")
public interface IngestConfig {

    /** Samples in one batch (gRPC message or JSON body) before the whole batch is refused. */
    @WithDefault("50000")
    int maxSamplesPerBatch();

    /** Serialized size of one batch before it is refused. */
    @WithDefault("4194304")
    int maxBatchBytes();

    @WithDefault("30")
    int maxLabels();

    @WithDefault("2048")
    int maxLabelValueBytes();

    /** Length of a metric or label name. */
    @WithDefault("512")
    int maxNameLength();

    /**
     * How late (older than now) a sample may arrive; older ones are refused. Within it, late and out-of-order samples
     * are stored, and recomputed into rollups and chunks. Capped by the raw retention.
     */
    @WithDefault("1h")
    Duration lateWindow();

    /** How far in the future a timestamp may be (clock skew of agents). */
    @WithDefault("10m")
    Duration maxFuture();

    /** Batches a Push stream may have in flight (read but not yet acknowledged) before the server stops reading. */
    @WithDefault("16")
    int streamWindow();

    /** Series one tenant may have stored; a new series beyond it is refused ({@code cardinality_limit}). */
    @WithDefault("1000000")
    int maxSeriesPerTenant();

    /** Series one metric name of a tenant may have stored; a new series beyond it is refused. */
    @WithDefault("100000")
    int maxSeriesPerMetric();

    /** How often the series counts behind the limits are recounted from PostgreSQL (other replicas create series too). */
    @WithDefault("30s")
    Duration seriesCountRefresh();
}
