package io.tidemark.alerting;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for a webhook receiver, Slack and PagerDuty: records each POST (path and JSON body)
 * and answers 200, or 503 while {@link #failNext} is positive (a receiver that is down).
 */
public final class HttpReceiver implements AutoCloseable {

    public record Request(String path, JsonObject body, long receivedAtMs) {
    }

    private final HttpServer server;
    private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    public final AtomicInteger failNext = new AtomicInteger();
    public final AtomicInteger refused = new AtomicInteger();

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long at = System.currentTimeMillis();
            boolean down = failNext.get() > 0;
            if (down) {
                failNext.decrementAndGet();
                refused.incrementAndGet();
            }
            byte[] answer = (down ? "down" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(down ? 503 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
            if (!down) { // recorded once answered, so a test that stops the server next cannot cut the answer
                received.add(new Request(exchange.getRequestURI().getPath(),
                        new JsonObject(new String(body, StandardCharsets.UTF_8)), at));
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next request, or null after the timeout. */
    public Request next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Requests that arrived so far (and are taken). */
    public List<Request> drain() {
        List<Request> out = new ArrayList<>();
        received.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
