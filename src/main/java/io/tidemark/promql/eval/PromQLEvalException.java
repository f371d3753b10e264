package io.tidemark.promql.eval;

/**
 * A query failed during evaluation, with Prometheus' message (e.g. {@code vector cannot contain metrics with the
 * same labelset}). Reported over HTTP as Prometheus' {@code execution} error (422).
 */
public class PromQLEvalException extends RuntimeException {

    public PromQLEvalException(String message) {
        super(message);
    }
}
