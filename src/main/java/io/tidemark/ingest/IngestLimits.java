package io.tidemark.ingest;

import java.time.Duration;

/**
 * The validation limits, as plain values so the validator is testable without a server. {@code maxAge} is the
 * late-sample window or the raw retention, whichever is shorter; {@code maxAgeKey} names the key that set it.
 */
public record IngestLimits(int maxSamplesPerBatch, int maxBatchBytes, int maxLabels, int maxLabelValueBytes,
        int maxNameLength, Duration maxAge, String maxAgeKey, Duration maxFuture) {

    public static IngestLimits from(IngestConfig config, Duration rawRetention) {
        boolean window = config.lateWindow().compareTo(rawRetention) < 0;
        return new IngestLimits(config.maxSamplesPerBatch(), config.maxBatchBytes(), config.maxLabels(),
                config.maxLabelValueBytes(), config.maxNameLength(), window ? config.lateWindow() : rawRetention,
                window ? "tidemark.ingest.late-window" : "tidemark.retention.raw", config.maxFuture());
    }
}
