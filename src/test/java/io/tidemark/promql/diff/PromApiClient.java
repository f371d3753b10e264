package io.tidemark.promql.diff;

import io.airlift.compress.snappy.SnappyCompressor;
import io.tidemark.remote.proto.WriteRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Talks to a Prometheus-compatible server as Prometheus and Grafana do: remote write 1.0 (snappy block format via
 * aircompressor, independent of Tidemark's own Snappy) and the query API by GET or form POST. Every request carries
 * the tenant header, which Prometheus ignores.
 */
public final class PromApiClient {

    /** An HTTP answer: status and body. */
    public record Answer(int status, String body) {
    }

    private final String baseUrl;
    private final String tenant;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public PromApiClient(String baseUrl, String tenant) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tenant = tenant;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Answer write(WriteRequest request) throws IOException, InterruptedException {
        byte[] raw = request.toByteArray();
        SnappyCompressor compressor = new SnappyCompressor();
        byte[] compressed = new byte[compressor.maxCompressedLength(raw.length)];
        int length = compressor.compress(raw, 0, raw.length, compressed, 0, compressed.length);
        HttpRequest post = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/write"))
                .timeout(Duration.ofSeconds(60))
                .header("x-tidemark-tenant", tenant)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(compressed, length)))
                .build();
        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Runs {@code call} with {@code expression} (the form this server understands). */
    public Answer query(QueryCall call, String expression) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("query", expression);
        params.putAll(call.timeParams());
        String form = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String path = baseUrl + (call.isRange() ? "/api/v1/query_range" : "/api/v1/query");
        HttpRequest.Builder request = call.post()
                ? HttpRequest.newBuilder(URI.create(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                : HttpRequest.newBuilder(URI.create(path + "?" + form)).GET();
        HttpResponse<String> response = http.send(request.header("x-tidemark-tenant", tenant)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
