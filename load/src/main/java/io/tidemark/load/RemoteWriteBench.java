package io.tidemark.load;

import io.airlift.compress.snappy.SnappyCompressor;
import io.tidemark.remote.proto.Label;
import io.tidemark.remote.proto.Sample;
import io.tidemark.remote.proto.TimeSeries;
import io.tidemark.remote.proto.WriteRequest;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The W1 fleet through Prometheus remote write instead of the gRPC stream: the same series, values and batches
 * (batch-hosts hosts × all their metrics per request), each request snappy-compressed before the clock starts and
 * POSTed by {@code --streams} connections at once, as a Prometheus' remote-write shards would. A request counts
 * once it is answered 2xx (Tidemark answers only after the commit).
 *
 * <pre>remote-write --target 127.0.0.1:8080 [the fleet options]</pre>
 */
final class RemoteWriteBench {

    private RemoteWriteBench() {
    }

    private record EncodedWrite(byte[] body, int samples) {
    }

    static int run(List<String> args, PrintStream out, PrintStream progress) throws Exception {
        LoadOptions options = LoadOptions.parse(args, Instant.now());
        ConcurrentLinkedQueue<EncodedWrite> queue = new ConcurrentLinkedQueue<>(build(options));
        long planned = queue.stream().mapToLong(EncodedWrite::samples).sum();
        long bytes = queue.stream().mapToLong(w -> w.body().length).sum();
        progress.printf("built %,d requests, %,d samples, %,d snappy bytes%n", queue.size(), planned, bytes);
        URI uri = URI.create("http://" + options.host() + ":" + options.port() + "/api/v1/write");
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        ClientCost costAtStart = ClientCost.now();
        long clockStart = System.nanoTime();
        for (int i = 0; i < options.streams(); i++) {
            LatencyRecorder latencies = new LatencyRecorder();
            recorders.add(latencies);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Thread t = new Thread(() -> send(client, uri, options.tenant(), queue, latencies, acked, failed),
                    "remote-write-" + i);
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        long elapsed = System.nanoTime() - clockStart;
        ClientCost cost = ClientCost.now().since(costAtStart);
        LatencyRecorder.Percentiles p = LatencyRecorder.summarize(recorders);
        double seconds = elapsed / 1e9;
        String json = String.format(Locale.ROOT, "{\"mode\":\"remote_write\",\"connections\":%d,\"samples\":%d,"
                + "\"samples_acked\":%d,\"requests_failed\":%d,\"seconds\":%.3f,\"samples_per_s\":%.0f,"
                + "\"latency_ms\":{\"p50\":%.2f,\"p95\":%.2f,\"p99\":%.2f,\"max\":%.2f},\"start_ms\":%d,\"rounds\":%d,"
                + "\"client_cpu_s\":%.2f}%n", options.streams(), planned, acked.get(), failed.get(), seconds,
                acked.get() / seconds, p.p50Ms(), p.p95Ms(), p.p99Ms(), p.maxMs(), options.startMs(), options.rounds(),
                cost.cpuNanos() / 1e9);
        out.print(json);
        if (options.json() != null) {
            java.nio.file.Files.writeString(options.json(), json);
        }
        return failed.get() == 0 && acked.get() == planned ? 0 : LoadMain.EXIT_FAILED;
    }

    private static void send(HttpClient client, URI uri, String tenant, ConcurrentLinkedQueue<EncodedWrite> queue,
            LatencyRecorder latencies, AtomicLong acked, AtomicLong failed) {
        EncodedWrite w;
        while ((w = queue.poll()) != null) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0").header("x-tidemark-tenant", tenant)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(w.body())).build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                latencies.record(System.nanoTime() - t0);
                if (response.statusCode() / 100 == 2) {
                    acked.addAndGet(w.samples());
                } else {
                    failed.incrementAndGet();
                    System.err.println("HTTP " + response.statusCode() + ": " + response.body());
                }
            } catch (Exception e) {
                failed.incrementAndGet();
                System.err.println("request failed: " + e);
            }
        }
    }

    /** Every request of the run, in round order, with the fleet simulator's values. */
    private static List<EncodedWrite> build(LoadOptions options) {
        FleetCatalog catalog = new FleetCatalog(options.hosts(), options.metrics());
        RandomWalk walk = new RandomWalk(catalog.hosts() * catalog.metrics());
        List<Label>[] hostLabels = hostLabels(catalog);
        SnappyCompressor snappy = new SnappyCompressor();
        List<EncodedWrite> out = new ArrayList<>();
        for (int round = 0; round < options.rounds(); round++) {
            long ts = options.startMs() + round * LoadOptions.ROUND_STEP_MS;
            for (int first = 0; first < catalog.hosts(); first += options.batchHosts()) {
                int end = Math.min(first + options.batchHosts(), catalog.hosts());
                WriteRequest.Builder request = WriteRequest.newBuilder();
                for (int host = first; host < end; host++) {
                    for (int metric = 0; metric < catalog.metrics(); metric++) {
                        double value = walk.next(host * catalog.metrics() + metric);
                        request.addTimeseries(TimeSeries.newBuilder()
                                .addLabels(Label.newBuilder().setName("__name__").setValue(catalog.metricName(metric)))
                                .addAllLabels(hostLabels[host])
                                .addSamples(Sample.newBuilder().setTimestamp(ts).setValue(value)));
                    }
                }
                byte[] raw = request.build().toByteArray();
                byte[] compressed = new byte[snappy.maxCompressedLength(raw.length)];
                int n = snappy.compress(raw, 0, raw.length, compressed, 0, compressed.length);
                out.add(new EncodedWrite(Arrays.copyOf(compressed, n), (end - first) * catalog.metrics()));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Label>[] hostLabels(FleetCatalog catalog) {
        List<Label>[] labels = new List[catalog.hosts()];
        for (int h = 0; h < catalog.hosts(); h++) {
            List<Label> sorted = new ArrayList<>();
            for (Map.Entry<String, String> e : new TreeMap<>(catalog.labels(h)).entrySet()) {
                sorted.add(Label.newBuilder().setName(e.getKey()).setValue(e.getValue()).build());
            }
            labels[h] = sorted;
        }
        return labels;
    }
}
