package io.tidemark.ingest;

import java.time.Duration;

/** The validation limits, as plain values so the validator is testable without a server. */
public record IngestLimits(int maxSamplesPerBatch, int maxBatchBytes, int maxLabels, int maxLabelValueBytes,
        int maxNameLength, Duration maxAge, Duration maxFuture) {

    public static IngestLimits from(IngestConfig config, Duration rawRetention) {
        return new IngestLimits(config.maxSamplesPerBatch(), config.maxBatchBytes(), config.maxLabels(),
                config.maxLabelValueBytes(), config.maxNameLength(), rawRetention, config.maxFuture());
    }
}
