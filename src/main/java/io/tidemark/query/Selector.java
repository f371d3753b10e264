package io.tidemark.query;

import java.util.List;

/** A metric name (may be empty when a {@code __name__} matcher selects it) and label matchers. */
public record Selector(String metric, List<Matcher> matchers) {
}
