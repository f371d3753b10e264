package io.tidemark.promql;

/** A half-open range of 0-based char offsets into the query text. */
public record PositionRange(int start, int end) {
}
