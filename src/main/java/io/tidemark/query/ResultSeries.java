package io.tidemark.query;

import java.util.Map;

/** One series of an answer: labels and its points (bucket start, value), in time order. */
public record ResultSeries(Map<String, String> labels, long[] timestamps, double[] values) {
}
