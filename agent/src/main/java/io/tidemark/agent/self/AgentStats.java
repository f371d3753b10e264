package io.tidemark.agent.self;

import io.tidemark.agent.Point;
import io.tidemark.proto.v1.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The agent's own health: counters and gauges served on its local /metrics and shipped with its other data under
 * the names {@code tidemark_agent_*}.
 */
public final class AgentStats {

    /** A monotonically increasing count. */
    public static final class Count {
        private final LongAdder adder = new LongAdder();

        public void increment() {
            adder.increment();
        }

        public void add(long n) {
            adder.add(n);
        }

        public long get() {
            return adder.sum();
        }
    }

    private record Family(String name, String help, MetricType type) {
    }

    private static final double[] LATENCY_BUCKETS = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 };

    private final Map<String, Count> collected = new ConcurrentHashMap<>();
    public final Count samplesSent = new Count();
    public final Count batchesSent = new Count();
    public final Count samplesRejected = new Count();
    public final Count samplesDropped = new Count();
    public final Count batchesDropped = new Count();
    public final Count sendFailures = new Count();
    public final Count failovers = new Count();
    public final Count heartbeatsSent = new Count();
    public final Count heartbeatFailures = new Count();
    public final Count statsdPackets = new Count();
    public final Count statsdInvalid = new Count();
    public final Count statsdDropped = new Count();
    public final Count collectErrors = new Count();
    private final long[] latencyBuckets = new long[LATENCY_BUCKETS.length];
    private long latencyCount;
    private double latencySum;
    private volatile LongSupplier bufferBatches = () -> 0;
    private volatile LongSupplier bufferBytes = () -> 0;
    private volatile LongSupplier bufferSamples = () -> 0;

    public void collected(String source, int samples) {
        collected.computeIfAbsent(source, s -> new Count()).add(samples);
    }

    public long collectedTotal() {
        return collected.values().stream().mapToLong(Count::get).sum();
    }

    public void bufferGauges(LongSupplier batches, LongSupplier bytes, LongSupplier samples) {
        this.bufferBatches = batches;
        this.bufferBytes = bytes;
        this.bufferSamples = samples;
    }

    public long bufferBatches() {
        return bufferBatches.getAsLong();
    }

    /** Time from a batch's send to its acknowledgement. */
    public synchronized void sendLatency(double seconds) {
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            if (seconds <= LATENCY_BUCKETS[i]) {
                latencyBuckets[i]++;
            }
        }
        latencyCount++;
        latencySum += seconds;
    }

    /** The current values as points (for shipping), labelled by the caller with the host. */
    public synchronized List<Point> points(long nowMs) {
        List<Point> points = new ArrayList<>();
        for (Map.Entry<String, Count> e : collected.entrySet()) {
            points.add(Point.counter("tidemark_agent_samples_collected_total", Map.of("source", e.getKey()), nowMs,
                    e.getValue().get()));
        }
        counter(points, "tidemark_agent_samples_sent_total", samplesSent, nowMs);
        counter(points, "tidemark_agent_batches_sent_total", batchesSent, nowMs);
        counter(points, "tidemark_agent_samples_rejected_total", samplesRejected, nowMs);
        counter(points, "tidemark_agent_samples_dropped_total", samplesDropped, nowMs);
        counter(points, "tidemark_agent_batches_dropped_total", batchesDropped, nowMs);
        counter(points, "tidemark_agent_send_failures_total", sendFailures, nowMs);
        counter(points, "tidemark_agent_failovers_total", failovers, nowMs);
        counter(points, "tidemark_agent_heartbeats_total", heartbeatsSent, nowMs);
        counter(points, "tidemark_agent_heartbeat_failures_total", heartbeatFailures, nowMs);
        counter(points, "tidemark_agent_statsd_packets_total", statsdPackets, nowMs);
        counter(points, "tidemark_agent_statsd_invalid_lines_total", statsdInvalid, nowMs);
        counter(points, "tidemark_agent_statsd_dropped_lines_total", statsdDropped, nowMs);
        counter(points, "tidemark_agent_collect_errors_total", collectErrors, nowMs);
        points.add(Point.gauge("tidemark_agent_buffer_batches", Map.of(), nowMs, bufferBatches.getAsLong()));
        points.add(Point.gauge("tidemark_agent_buffer_bytes", Map.of(), nowMs, bufferBytes.getAsLong()));
        points.add(Point.gauge("tidemark_agent_buffer_samples", Map.of(), nowMs, bufferSamples.getAsLong()));
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            points.add(new Point("tidemark_agent_send_latency_seconds_bucket", Map.of("le",
                    Double.toString(LATENCY_BUCKETS[i])), MetricType.METRIC_TYPE_HISTOGRAM, nowMs, latencyBuckets[i]));
        }
        points.add(new Point("tidemark_agent_send_latency_seconds_bucket", Map.of("le", "+Inf"),
                MetricType.METRIC_TYPE_HISTOGRAM, nowMs, latencyCount));
        points.add(new Point("tidemark_agent_send_latency_seconds_sum", Map.of(), MetricType.METRIC_TYPE_HISTOGRAM, nowMs,
                latencySum));
        points.add(new Point("tidemark_agent_send_latency_seconds_count", Map.of(), MetricType.METRIC_TYPE_HISTOGRAM,
                nowMs, latencyCount));
        Runtime rt = Runtime.getRuntime();
        points.add(Point.gauge("tidemark_agent_jvm_heap_used_bytes", Map.of(), nowMs, rt.totalMemory() - rt.freeMemory()));
        return points;
    }

    private static void counter(List<Point> points, String name, Count count, long nowMs) {
        points.add(Point.counter(name, Map.of(), nowMs, count.get()));
    }

    /** Prometheus text exposition (0.0.4) of {@link #points}, without timestamps. */
    public String exposition() {
        List<Point> points = points(System.currentTimeMillis());
        StringBuilder out = new StringBuilder();
        String lastFamily = "";
        for (Point p : points) {
            String family = p.type() == MetricType.METRIC_TYPE_HISTOGRAM
                    ? p.name().replaceAll("_(bucket|sum|count)$", "") : p.name();
            if (!family.equals(lastFamily)) {
                String type = switch (p.type()) {
                    case METRIC_TYPE_COUNTER -> "counter";
                    case METRIC_TYPE_HISTOGRAM -> "histogram";
                    default -> "gauge";
                };
                out.append("# TYPE ").append(family).append(' ').append(type).append('\n');
                lastFamily = family;
            }
            out.append(p.name());
            if (!p.labels().isEmpty()) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, String> l : p.labels().entrySet()) {
                    out.append(first ? "" : ",").append(l.getKey()).append("=\"")
                            .append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                            .append('"');
                    first = false;
                }
                out.append('}');
            }
            out.append(' ').append(formatValue(p.value())).append('\n');
        }
        return out.toString();
    }

    private static String formatValue(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
