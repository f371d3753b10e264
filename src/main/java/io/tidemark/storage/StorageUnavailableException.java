package io.tidemark.storage;

/** PostgreSQL could not commit a write; nothing in the affected batches is acknowledged. Retryable. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
