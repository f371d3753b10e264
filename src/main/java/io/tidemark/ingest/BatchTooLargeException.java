package io.tidemark.ingest;

/** A whole batch refused because it exceeds a size limit; the message names the limit, its key and the value. */
public class BatchTooLargeException extends RuntimeException {
    public BatchTooLargeException(String message) {
        super(message);
    }
}
