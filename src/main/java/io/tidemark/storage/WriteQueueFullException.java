package io.tidemark.storage;

/** The write queue is at its bound; the client should back off and retry. */
public class WriteQueueFullException extends RuntimeException {
    public WriteQueueFullException(String message) {
        super(message);
    }
}
