package io.tidemark.ingest;

import java.util.List;

/**
 * Partial success: samples committed, and every rejected sample or series with its field and reason.
 * {@code everySeriesOverLimit}: every series of the batch was new and refused by a series limit (over gRPC
 * that answers RESOURCE_EXHAUSTED instead of a partial success).
 */
public record IngestResult(long accepted, List<Rejection> rejections, boolean everySeriesOverLimit) {
}
