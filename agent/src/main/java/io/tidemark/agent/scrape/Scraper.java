package io.tidemark.agent.scrape;

import io.tidemark.agent.Point;
import io.tidemark.agent.config.AgentConfig;
import io.tidemark.agent.host.Collector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Scrapes one Prometheus / OpenMetrics endpoint. Every series gets the target's {@code job} and {@code instance}
 * labels (and the configured ones); a scraped label of the same name is kept as {@code exported_<name>}, as
 * Prometheus does. Each scrape adds {@code up} (1 or 0), {@code scrape_duration_seconds} and
 * {@code scrape_samples_scraped}; a failed scrape sends only those.
 */
public final class Scraper implements Collector {

    private static final Logger LOG = Logger.getLogger(Scraper.class.getName());
    private static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private static final long MAX_BODY_BYTES = 16L << 20;

    private final AgentConfig.ScrapeTarget target;
    private final HttpClient client;
    private final Map<String, String> targetLabels;
    private volatile String lastError = "";

    public Scraper(AgentConfig.ScrapeTarget target, HttpClient client) {
        this.target = target;
        this.client = client;
        URI uri = URI.create(target.url());
        Map<String, String> labels = new LinkedHashMap<>(target.labels());
        labels.put("job", target.job());
        labels.put("instance", uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort()
                : "https".equals(uri.getScheme()) ? 443 : 80));
        this.targetLabels = Map.copyOf(labels);
    }

    @Override
    public String name() {
        return "scrape";
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public List<Point> collect(long nowMs) {
        long started = System.nanoTime();
        List<Point> scraped;
        try {
            scraped = scrape(nowMs);
            lastError = "";
        } catch (IOException | ExpositionParser.ParseException e) {
            scraped = null;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!message.equals(lastError)) {
                LOG.warning("scrape of " + target.url() + " failed: " + message);
            }
            lastError = message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Point> points = new ArrayList<>();
        if (scraped != null) {
            for (Point p : scraped) {
                points.add(new Point(p.name(), withTargetLabels(p.labels()), p.type(), p.timestampMs(), p.value()));
            }
        }
        points.add(Point.gauge("up", targetLabels, nowMs, scraped == null ? 0 : 1));
        points.add(Point.gauge("scrape_duration_seconds", targetLabels, nowMs, seconds));
        points.add(Point.gauge("scrape_samples_scraped", targetLabels, nowMs, scraped == null ? 0 : scraped.size()));
        return points;
    }

    private List<Point> scrape(long nowMs) throws IOException, InterruptedException, ExpositionParser.ParseException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url())).timeout(target.timeout())
                .header("Accept", ACCEPT).header("User-Agent", "tidemark-agent")
                .header("X-Prometheus-Scrape-Timeout-Seconds", Double.toString(target.timeout().toMillis() / 1000.0))
                .GET().build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        if (response.body().length > MAX_BODY_BYTES) {
            throw new IOException("body of " + response.body().length + " bytes is over the limit of " + MAX_BODY_BYTES);
        }
        String contentType = response.headers().firstValue("content-type").orElse("");
        boolean openMetrics = contentType.startsWith("application/openmetrics-text");
        List<Point> points = ExpositionParser.parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8),
                openMetrics, nowMs);
        if (points.size() > target.sampleLimit()) {
            throw new IOException(points.size() + " samples, over sample_limit " + target.sampleLimit());
        }
        return points;
    }

    private Map<String, String> withTargetLabels(Map<String, String> scraped) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : scraped.entrySet()) {
            labels.put(targetLabels.containsKey(e.getKey()) ? "exported_" + e.getKey() : e.getKey(), e.getValue());
        }
        labels.putAll(targetLabels);
        return labels;
    }
}
