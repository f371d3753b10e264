package io.tidemark.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.retention.*}: how long each tier is kept. Samples older than the raw retention are refused at ingest. */
@ConfigMapping(prefix = "tidemark.retention")
public interface RetentionConfig {

    /** Raw samples (the head). */
    @WithDefault("15d")
    Duration raw();

    /** The 1m rollup tier. */
    @WithDefault("90d")
    Duration minute();

    /** The 1h rollup tier. */
    @WithDefault("365d")
    Duration hour();

    /** The 1d rollup tier. */
    @WithDefault("1825d")
    Duration day();
}
