package io.tidemark.promql.eval;

/**
 * A query would read or produce more than a configured limit (series, samples). Reported over HTTP as Prometheus'
 * {@code execution} error (422), never as an OutOfMemoryError.
 */
public class QueryLimitException extends RuntimeException {

    public QueryLimitException(String message) {
        super(message);
    }
}
