package io.tidemark.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.retention.*}: how long each tier is kept. Samples older than the raw retention are refused at ingest. */
@ConfigMapping(prefix = "tidemark.retention")
public interface RetentionConfig {

    @WithDefault("15d")
    Duration raw();
}
