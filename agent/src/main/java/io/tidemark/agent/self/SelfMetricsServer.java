package io.tidemark.agent.self;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves {@link AgentStats} on {@code GET /metrics} (Prometheus text format) for a local scraper or a person. */
public final class SelfMetricsServer implements AutoCloseable {

    private final HttpServer server;

    public SelfMetricsServer(String host, int port, AgentStats stats) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 4);
        server.createContext("/metrics", exchange -> {
            byte[] body = stats.exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
