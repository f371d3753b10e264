package io.tidemark.ingest;

/** Machine-readable rejection reasons; {@link #label()} is also the {@code reason} tag of the rejected-samples metric. */
public enum RejectCode {
    INVALID_SAMPLE,
    INVALID_NAME,
    INVALID_LABEL_NAME,
    INVALID_LABEL_VALUE,
    TOO_MANY_LABELS,
    TOO_OLD,
    TOO_FAR_IN_FUTURE,
    SERIES_ID_COLLISION,
    /** A new series over {@code tidemark.ingest.max-series-per-tenant} or {@code max-series-per-metric}. */
    CARDINALITY_LIMIT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
