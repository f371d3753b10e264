package io.tidemark.remote;

/** A remote write/read request refused as the client's fault (4xx: Prometheus does not retry it). */
public class RemoteRequestException extends RuntimeException {

    private final int status;

    private RemoteRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static RemoteRequestException badData(String message) {
        return new RemoteRequestException(400, message);
    }

    public static RemoteRequestException tooLarge(String message) {
        return new RemoteRequestException(413, message);
    }

    public static RemoteRequestException unsupported(String message) {
        return new RemoteRequestException(415, message);
    }

    public int status() {
        return status;
    }
}
