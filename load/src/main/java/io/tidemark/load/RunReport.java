package io.tidemark.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The figures of one run, as text for people and as JSON for docs/benchmarks.md. */
record RunReport(
        LoadOptions options,
        long batchesPlanned,
        long batchesSent,
        long batchesAcked,
        long samplesSent,
        long bytesSent,
        long samplesAcked,
        long samplesAccepted,
        long samplesRejected,
        List<String> firstRejections,
        long wallNanos,
        LatencyRecorder.Percentiles ackLatency,
        long generationMs,
        int roundsBuiltBeforeClock,
        ClientCost clientCost,
        long flowControlPauses,
        long unexpectedAcks,
        List<String> failures) {

    private static final int SHOWN_REJECTIONS = 5;

    static RunReport of(LoadOptions options, List<StreamResult> streams, RoundProducer producer, long wallNanos,
            ClientCost clientCost, String abortReason) {
        List<String> failures = new ArrayList<>();
        if (abortReason != null && streams.stream().noneMatch(s -> abortReason.equals(s.failure()))) {
            failures.add(abortReason);
        }
        streams.stream()
                .filter(s -> s.failure() != null)
                .map(s -> s.failure() + " (" + s.batchesUnacked() + " batches unacknowledged)")
                .forEach(failures::add);
        List<String> firstRejections = streams.stream()
                .flatMap(s -> s.firstRejections().stream())
                .map(Object::toString)
                .limit(SHOWN_REJECTIONS)
                .toList();
        return new RunReport(options, options.plannedBatches(),
                sum(streams, StreamResult::batchesSent), sum(streams, StreamResult::batchesAcked),
                sum(streams, StreamResult::samplesSent), sum(streams, StreamResult::bytesSent),
                sum(streams, StreamResult::samplesAcked), sum(streams, StreamResult::samplesAccepted),
                sum(streams, StreamResult::samplesRejected), firstRejections, wallNanos,
                LatencyRecorder.summarize(streams.stream().map(StreamResult::latencies).toList()),
                producer.generationMillis(), producer.roundsBuiltBeforeClock(), clientCost,
                sum(streams, StreamResult::flowControlPauses), sum(streams, StreamResult::unexpectedAcks),
                List.copyOf(failures));
    }

    private static long sum(List<StreamResult> streams, ToLongFunction<StreamResult> figure) {
        return streams.stream().mapToLong(figure).sum();
    }

    /** Every planned batch was acknowledged and no stream failed. */
    boolean ok() {
        return failures.isEmpty() && batchesAcked == batchesPlanned && unexpectedAcks == 0;
    }

    long batchesUnacked() {
        return batchesSent - batchesAcked;
    }

    long batchesNeverSent() {
        return batchesPlanned - batchesSent;
    }

    double wallSeconds() {
        return wallNanos / 1e9;
    }

    double ackedSamplesPerSecond() {
        return wallNanos == 0 ? 0 : samplesAcked / wallSeconds();
    }

    double acceptedSamplesPerSecond() {
        return wallNanos == 0 ? 0 : samplesAccepted / wallSeconds();
    }

    double clientCpuSeconds() {
        return clientCost.cpuNanos() / 1e9;
    }

    long lastRoundStartMs() {
        return options.startMs() + (options.rounds() - 1) * LoadOptions.ROUND_STEP_MS;
    }

    String toText() {
        LoadOptions o = options;
        StringBuilder t = new StringBuilder();
        line(t, "Tidemark fleet simulator: %,d hosts x %,d metrics x %,d rounds -> %s (tenant %s)",
                o.hosts(), o.metrics(), o.rounds(), o.target(), o.tenant());
        line(t, "  %d streams, window %d, %d hosts (%,d samples) per batch, interval %s, data time %s .. %s",
                o.streams(), o.window(), o.batchHosts(), o.batchHosts() * o.metrics(), LoadOptions.format(o.interval()),
                Instant.ofEpochMilli(o.startMs()), Instant.ofEpochMilli(lastRoundStartMs()));
        line(t, "batches      %,d sent, %,d acknowledged, %,d unacknowledged, %,d never sent (of %,d)",
                batchesSent, batchesAcked, batchesUnacked(), batchesNeverSent(), batchesPlanned);
        line(t, "samples      %,d sent (of %,d), %,d accepted, %,d rejected", samplesSent, o.plannedSamples(),
                samplesAccepted, samplesRejected);
        line(t, "bytes        %,.1f MB of PushRequests, %,.0f KB per batch", bytesSent / 1e6,
                batchesSent == 0 ? 0.0 : bytesSent / 1e3 / batchesSent);
        firstRejections.forEach(r -> line(t, "  rejected   %s", r));
        line(t, "wall time    %.3f s", wallSeconds());
        line(t, "throughput   %,.0f acknowledged samples/s (%,.0f accepted/s)", ackedSamplesPerSecond(),
                acceptedSamplesPerSecond());
        line(t, "ack latency  p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%,d batches)",
                ackLatency.p50Ms(), ackLatency.p95Ms(), ackLatency.p99Ms(), ackLatency.maxMs(), ackLatency.count());
        line(t, "generation   %,d ms, %d of %d rounds built before the clock started", generationMs,
                roundsBuiltBeforeClock, o.rounds());
        line(t, "client       %.1f s CPU (%.2f cores) and %.1f s GC while the clock ran", clientCpuSeconds(),
                clientCpuSeconds() / Math.max(wallSeconds(), 1e-9), clientCost.gcMillis() / 1000.0);
        line(t, "flow control %,d pauses waiting for the server to read", flowControlPauses);
        if (unexpectedAcks > 0) {
            line(t, "unexpected   %,d acks for unknown or already acknowledged sequences", unexpectedAcks);
        }
        failures.forEach(f -> line(t, "FAILED       %s", f));
        line(t, "result       %s", ok() ? "OK" : "FAILED");
        return t.toString();
    }

    String toJson() {
        LoadOptions o = options;
        Json j = new Json();
        j.field("target", o.target()).field("tenant", o.tenant()).field("hosts", o.hosts())
                .field("metrics", o.metrics()).field("rounds", o.rounds()).field("interval_ms", o.interval().toMillis())
                .field("streams", o.streams()).field("window", o.window()).field("batch_hosts", o.batchHosts())
                .field("start_ms", o.startMs())
                .field("batches_planned", batchesPlanned).field("batches_sent", batchesSent)
                .field("batches_acked", batchesAcked).field("batches_unacked", batchesUnacked())
                .field("batches_never_sent", batchesNeverSent())
                .field("samples_sent", samplesSent).field("bytes_sent", bytesSent).field("samples_acked", samplesAcked)
                .field("samples_accepted", samplesAccepted).field("samples_rejected", samplesRejected)
                .field("first_rejections", firstRejections)
                .field("wall_s", round3(wallSeconds()))
                .field("acked_samples_per_s", Math.round(ackedSamplesPerSecond()))
                .field("accepted_samples_per_s", Math.round(acceptedSamplesPerSecond()))
                .field("ack_latency_p50_ms", ackLatency.p50Ms()).field("ack_latency_p95_ms", ackLatency.p95Ms())
                .field("ack_latency_p99_ms", ackLatency.p99Ms()).field("ack_latency_max_ms", ackLatency.maxMs())
                .field("generation_ms", generationMs).field("rounds_built_before_clock", roundsBuiltBeforeClock)
                .field("client_cpu_s", round3(clientCpuSeconds())).field("client_gc_s", clientCost.gcMillis() / 1000.0)
                .field("flow_control_pauses", flowControlPauses).field("unexpected_acks", unexpectedAcks)
                .field("failures", failures).field("ok", ok());
        return j.close();
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void line(StringBuilder t, String format, Object... args) {
        t.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    /** Just enough JSON for a flat object of numbers, strings, booleans and string lists. */
    private static final class Json {
        private final StringBuilder out = new StringBuilder("{\n");

        Json field(String name, Object value) {
            if (out.length() > 2) {
                out.append(",\n");
            }
            out.append("  ").append(quote(name)).append(": ").append(value(value));
            return this;
        }

        String close() {
            return out.append("\n}\n").toString();
        }

        private static String value(Object v) {
            if (v instanceof String s) {
                return quote(s);
            }
            if (v instanceof List<?> list) {
                return list.stream().map(e -> quote(String.valueOf(e)))
                        .reduce((a, b) -> a + ", " + b).map(s -> "[" + s + "]").orElse("[]");
            }
            return String.valueOf(v);
        }

        private static String quote(String s) {
            StringBuilder q = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> q.append("\\\"");
                    case '\\' -> q.append("\\\\");
                    case '\n' -> q.append("\\n");
                    case '\r' -> q.append("\\r");
                    case '\t' -> q.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            q.append(String.format("\\u%04x", (int) c));
                        } else {
                            q.append(c);
                        }
                    }
                }
            }
            return q.append('"').toString();
        }
    }
}
