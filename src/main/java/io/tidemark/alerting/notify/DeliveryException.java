package io.tidemark.alerting.notify;

/** A delivery that failed; the outbox retries it with backoff. */
public class DeliveryException extends RuntimeException {

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
