package io.tidemark.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tidemark.agent.Point;
import io.tidemark.agent.config.AgentConfig;
import io.tidemark.proto.v1.MetricType;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes over real HTTP from a local server serving exposition text, in both formats. */
class ScraperTest {

    private static final String PROMETHEUS_TEXT = """
            # HELP http_requests_total Requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000
            # A comment
            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
            metric_without_timestamp_and_labels 12.47
            # TYPE rpc_duration_seconds histogram
            rpc_duration_seconds_bucket{le="0.05"} 24054
            rpc_duration_seconds_bucket{le="+Inf"} 144320
            rpc_duration_seconds_sum 53423
            rpc_duration_seconds_count 144320
            nan_value NaN
            job_label{job="theirs"} 1
            """;

    private static final String OPEN_METRICS = """
            # TYPE acme_http_router_request_seconds summary
            # UNIT acme_http_router_request_seconds seconds
            acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
            acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
            # TYPE go_goroutines gauge
            go_goroutines 69 1520879607.789
            # TYPE foo counter
            foo_total 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
            # EOF
            ignored_after_eof 1
            """;

    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>(PROMETHEUS_TEXT);
    private final AtomicReference<String> contentType = new AtomicReference<>("text/plain; version=0.0.4");
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType.get());
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Scraper scraper() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
        return new Scraper(new AgentConfig.ScrapeTarget(url, "app", Duration.ofSeconds(10), Duration.ofSeconds(5),
                50_000, Map.of("team", "core")), HttpClient.newHttpClient());
    }

    private static Point one(List<Point> points, String name, Map<String, String> subset) {
        List<Point> found = points.stream().filter(p -> p.name().equals(name)
                && p.labels().entrySet().containsAll(subset.entrySet())).toList();
        assertEquals(1, found.size(), name + subset + " in " + points);
        return found.get(0);
    }

    @Test
    void prometheusTextFormatWithTargetLabelsAndUp() {
        long now = 1_700_000_000_000L;
        List<Point> points = scraper().collect(now);
        String instance = "127.0.0.1:" + server.getAddress().getPort();
        Point requests = one(points, "http_requests_total", Map.of("code", "400"));
        assertEquals(3, requests.value());
        assertEquals(1395066363000L, requests.timestampMs(), "Prometheus text timestamps are milliseconds");
        assertEquals(MetricType.METRIC_TYPE_COUNTER, requests.type());
        assertEquals(Map.of("method", "post", "code", "400", "job", "app", "instance", instance, "team", "core"),
                requests.labels());
        Point escaped = one(points, "msdos_file_access_time_seconds", Map.of());
        assertEquals("C:\\DIR\\FILE.TXT", escaped.labels().get("path"));
        assertEquals("Cannot find file:\n\"FILE.TXT\"", escaped.labels().get("error"));
        Point plain = one(points, "metric_without_timestamp_and_labels", Map.of());
        assertEquals(now, plain.timestampMs());
        assertEquals(MetricType.METRIC_TYPE_UNSPECIFIED, plain.type());
        assertEquals(MetricType.METRIC_TYPE_HISTOGRAM, one(points, "rpc_duration_seconds_bucket",
                Map.of("le", "+Inf")).type());
        assertEquals(144320, one(points, "rpc_duration_seconds_count", Map.of()).value());
        assertTrue(Double.isNaN(one(points, "nan_value", Map.of()).value()));
        Point conflict = one(points, "job_label", Map.of());
        assertEquals("theirs", conflict.labels().get("exported_job"), "a scraped job label is kept as exported_job");
        assertEquals("app", conflict.labels().get("job"));
        assertEquals(1, one(points, "up", Map.of("job", "app", "instance", instance)).value());
        assertEquals(10, one(points, "scrape_samples_scraped", Map.of()).value());
    }

    @Test
    void openMetricsWithSecondsTimestampsExemplarsAndEof() {
        body.set(OPEN_METRICS);
        contentType.set("application/openmetrics-text; version=1.0.0; charset=utf-8");
        List<Point> points = scraper().collect(1_700_000_000_000L);
        Point goroutines = one(points, "go_goroutines", Map.of());
        assertEquals(1520879607789L, goroutines.timestampMs(), "OpenMetrics timestamps are seconds");
        assertEquals(MetricType.METRIC_TYPE_GAUGE, goroutines.type());
        Point foo = one(points, "foo_total", Map.of());
        assertEquals(17.0, foo.value(), "the exemplar is dropped");
        assertEquals(MetricType.METRIC_TYPE_COUNTER, foo.type(), "foo_total inherits foo's type");
        assertEquals(MetricType.METRIC_TYPE_SUMMARY, one(points, "acme_http_router_request_seconds_sum", Map.of()).type());
        assertTrue(points.stream().noneMatch(p -> p.name().equals("ignored_after_eof")));
        assertEquals(1, one(points, "up", Map.of()).value());
    }

    @Test
    void aFailedScrapeSendsUpZero() {
        status.set(500);
        List<Point> failed = scraper().collect(1L);
        assertEquals(0, one(failed, "up", Map.of()).value());
        assertEquals(3, failed.size(), "up, scrape_duration_seconds, scrape_samples_scraped only");

        status.set(200);
        body.set("metric{unterminated=\"x} 1\n");
        Scraper broken = scraper();
        assertEquals(0, one(broken.collect(1L), "up", Map.of()).value());
        assertTrue(broken.lastError().startsWith("line 1: "), broken.lastError());

        server.stop(0);
        assertEquals(0, one(scraper().collect(1L), "up", Map.of()).value(), "nothing listening");
    }

    @Test
    void parserNamesTheLine() {
        ExpositionParser.ParseException e = assertThrows(ExpositionParser.ParseException.class,
                () -> ExpositionParser.parse("ok 1\nbad value here\n", false, 0));
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
    }
}
