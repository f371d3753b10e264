package io.tidemark.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent's configuration, read from agent.yaml by {@link ConfigLoader}. Every key and its default is listed in
 * docs/agent.md.
 */
public record AgentConfig(
        Duration interval,
        int batchSize,
        Endpoint primary,
        Endpoint backup,
        String tenant,
        String apiKey,
        Host host,
        SystemCollectors system,
        List<ScrapeTarget> scrapeTargets,
        Statsd statsd,
        Buffering buffering,
        Shipping shipping,
        SelfMetrics selfMetrics) {

    /** A Tidemark gRPC endpoint: {@code http://host:port} (plaintext) or {@code https://host:port} (TLS). */
    public record Endpoint(String host, int port, boolean tls) {
        public static Endpoint parse(String text) throws IllegalArgumentException {
            URI uri = URI.create(text.contains("://") ? text : "http://" + text);
            String scheme = uri.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("scheme must be http (plaintext gRPC) or https (TLS), not " + scheme);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in \"" + text + "\"");
            }
            boolean tls = "https".equals(scheme);
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 9000;
            return new Endpoint(uri.getHost(), port, tls);
        }

        @Override
        public String toString() {
            return (tls ? "https://" : "http://") + host + ":" + port;
        }
    }

    /** The host this agent reports for; empty id/hostname/ip are discovered at start. */
    public record Host(String id, String hostname, String ip, Map<String, String> labels, Duration heartbeatInterval,
            boolean labelSeries) {
    }

    /** Host collectors; a null interval means the collector is off. */
    public record SystemCollectors(boolean enabled, Path procPath, Path sysPath, Duration cpu, Duration load,
            Duration memory, Duration filesystem, Duration disk, Duration network, Duration system) {
    }

    public record ScrapeTarget(String url, String job, Duration interval, Duration timeout, int sampleLimit,
            Map<String, String> labels) {
    }

    /** port 0 = off. */
    public record Statsd(String bindAddress, int port, Duration flushInterval, int maxSeries, List<Double> quantiles) {
        public boolean enabled() {
            return port > 0;
        }
    }

    public record Buffering(Path diskPath, int maxSize, long maxBytes) {
    }

    public record Shipping(Duration backoffMin, Duration backoffMax, int window, Duration ackTimeout,
            Duration primaryRetry) {
    }

    /** listen null = the local /metrics endpoint is off (the agent's metrics are still shipped). */
    public record SelfMetrics(String listenHost, int listenPort, Duration interval) {
        public boolean serve() {
            return listenPort > 0;
        }
    }
}
