package io.tidemark.ingest;

import java.util.List;

/** Partial success: samples committed, and every rejected sample or series with its field and reason. */
public record IngestResult(long accepted, List<Rejection> rejections) {
}
