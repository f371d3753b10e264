package io.tidemark.promql.diff;

import io.tidemark.remote.proto.Label;
import io.tidemark.remote.proto.Sample;
import io.tidemark.remote.proto.TimeSeries;
import io.tidemark.remote.proto.WriteRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The differential suite's data: a seeded, deterministic set of series as Prometheus would scrape them every 15 s
 * for {@link #SPAN_MS} from {@code t0} — gauges (dotted names too), counters with resets, classic histograms, gaps
 * longer than the 5-minute lookback, staleness markers, NaN and ±Inf values, series that start late or end early,
 * label values that need escaping. Only timestamps depend on {@code t0}; values depend on the seed alone.
 */
public final class DiffData {

    public static final long SCRAPE_MS = 15_000;
    public static final long MINUTE = 60_000;
    /** The data covers [t0, t0 + 58 min]. */
    public static final long SPAN_MS = 58 * MINUTE;
    public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    /** One series: labels sorted by name ({@code __name__} included), samples in time order. */
    public record Series(Map<String, String> labels, long[] timestamps, double[] values) {
    }

    private final long t0;
    private final Random random;
    private final List<Series> series = new ArrayList<>();

    private DiffData(long seed, long t0) {
        this.t0 = t0;
        this.random = new Random(seed);
    }

    public static DiffData generate(long seed, long t0) {
        DiffData data = new DiffData(seed, t0);
        data.gauges();
        data.counters();
        data.histograms();
        data.lifecycles();
        data.specialValues();
        data.joins();
        data.oddShapes();
        return data;
    }

    public long t0() {
        return t0;
    }

    public List<Series> series() {
        return Collections.unmodifiableList(series);
    }

    /** Samples a range selector can see: all but staleness markers (ordinary NaN included). */
    public long visibleSampleCount() {
        long n = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(STALE_NAN)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Remote-write requests in time order, each holding every series' samples of one window: Prometheus' head only
     * accepts a series' samples in order, and whatever arrives later must not be far behind what it already holds.
     */
    public List<WriteRequest> writeRequests(long windowMs) {
        List<WriteRequest> requests = new ArrayList<>();
        for (long from = t0 - SCRAPE_MS; from <= t0 + SPAN_MS + SCRAPE_MS; from += windowMs) {
            WriteRequest.Builder request = WriteRequest.newBuilder();
            for (Series s : series) {
                TimeSeries.Builder ts = TimeSeries.newBuilder();
                s.labels().forEach((name, value) -> ts.addLabels(Label.newBuilder().setName(name).setValue(value)));
                for (int i = 0; i < s.timestamps().length; i++) {
                    if (s.timestamps()[i] >= from && s.timestamps()[i] < from + windowMs) {
                        ts.addSamples(Sample.newBuilder().setTimestamp(s.timestamps()[i]).setValue(s.values()[i]));
                    }
                }
                if (ts.getSamplesCount() > 0) {
                    request.addTimeseries(ts);
                }
            }
            if (request.getTimeseriesCount() > 0) {
                requests.add(request.build());
            }
        }
        return requests;
    }

    // --- the series -------------------------------------------------------------------------------------------

    private void gauges() {
        String[][] hosts = { { "host-1:9100", "east" }, { "host-2:9100", "east" }, { "host-3:9100", "west" },
                { "host-4:9100", "west" } };
        for (String[] host : hosts) {
            double value = 35 + random.nextInt(20) + random.nextInt(100) / 100.0;
            Target target = target(0, SPAN_MS);
            double[] values = new double[target.size()];
            for (int i = 0; i < values.length; i++) {
                value = round2(value + random.nextGaussian() * 0.8);
                values[i] = value;
            }
            add(labels("node_temperature_celsius", "job", "node", "instance", host[0], "dc", host[1]), target,
                    values);
        }
        // A dotted metric name and a dotted label name, as OpenTelemetry sends them.
        String[][] cpus = { { "web-1", "0" }, { "web-1", "1" }, { "db-1", "0" } };
        for (String[] cpu : cpus) {
            Target target = target(0, SPAN_MS);
            double[] values = new double[target.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = round2(Math.min(100, Math.max(0, 50 + 40 * Math.sin(i / 9.0 + cpu[0].length())
                        + random.nextGaussian() * 5)));
            }
            add(labels("cpu.usage.percent", "host", cpu[0], "core", cpu[1], "service.name", "checkout"), target,
                    values);
        }
        // Negative, fractional and exact halves for round/floor/ceil/abs/sgn/clamp.
        for (String account : new String[] { "a", "b", "c" }) {
            Target target = target(0, SPAN_MS);
            double[] values = new double[target.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (random.nextInt(31) - 15) / 2.0 + (random.nextInt(4) == 0 ? 0.25 : 0);
            }
            add(labels("balance", "account", account), target, values);
        }
        // Label values JSON and PromQL strings must escape.
        Target target = target(0, SPAN_MS);
        double[] values = new double[target.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 17;
        }
        add(labels("label_escape_test", "path", "/a\"b\\c", "text", "grüße ∑ 東京"), target, values);
    }

    private void counters() {
        String[][] sets = { { "host-1:8080", "GET", "200" }, { "host-1:8080", "GET", "500" },
                { "host-1:8080", "POST", "200" }, { "host-2:8080", "GET", "200" }, { "host-2:8080", "GET", "500" },
                { "host-2:8080", "POST", "200" } };
        for (int k = 0; k < sets.length; k++) {
            Target target = target(0, SPAN_MS);
            double[] values = new double[target.size()];
            double value = random.nextInt(1000);
            int rate = 1 + random.nextInt(k % 3 == 1 ? 3 : 40);
            for (int i = 0; i < values.length; i++) {
                boolean reset = (k == 0 && i == 100) || (k == 3 && (i == 60 || i == 170)) || (k == 4 && i == 120);
                value = reset ? random.nextInt(3) : value + random.nextInt(rate + 1);
                values[i] = value;
            }
            add(labels("http_requests_total", "job", "api", "instance", sets[k][0], "method", sets[k][1], "code",
                    sets[k][2]), target, values);
        }
    }

    private static final double[] BOUNDS = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            Double.POSITIVE_INFINITY };
    private static final String[] LE = { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5",
            "10", "+Inf" };

    private void histograms() {
        String[][] sets = { { "host-1:8080", "/api/orders" }, { "host-2:8080", "/api/orders" },
                { "host-1:8080", "/api/users" } };
        for (int k = 0; k < sets.length; k++) {
            // the third starts 15 minutes late; the second restarts (every count back to 0) after 30 minutes
            Target target = target(k == 2 ? 15 * MINUTE : 0, SPAN_MS);
            long[] buckets = new long[BOUNDS.length];
            double sum = 0;
            double[][] bucketValues = new double[BOUNDS.length][target.size()];
            double[] sumValues = new double[target.size()];
            double[] countValues = new double[target.size()];
            double scale = 0.05 + k * 0.2;
            for (int i = 0; i < target.size(); i++) {
                if (k == 1 && i == 120) {
                    buckets = new long[BOUNDS.length];
                    sum = 0;
                }
                int observations = random.nextInt(25);
                for (int o = 0; o < observations; o++) {
                    double seconds = -Math.log(1 - random.nextDouble()) * scale;
                    sum += seconds;
                    for (int b = 0; b < BOUNDS.length; b++) {
                        if (seconds <= BOUNDS[b]) {
                            buckets[b]++;
                        }
                    }
                }
                for (int b = 0; b < BOUNDS.length; b++) {
                    bucketValues[b][i] = buckets[b];
                }
                sumValues[i] = sum;
                countValues[i] = buckets[BOUNDS.length - 1];
            }
            String[] common = { "job", "api", "instance", sets[k][0], "handler", sets[k][1] };
            for (int b = 0; b < BOUNDS.length; b++) {
                add(labels("http_request_duration_seconds_bucket", concat(common, "le", LE[b])), target,
                        bucketValues[b]);
            }
            add(labels("http_request_duration_seconds_sum", common), target, sumValues);
            add(labels("http_request_duration_seconds_count", common), target, countValues);
        }
    }

    /** queue_depth: series that come and go. */
    private void lifecycles() {
        queue("steady", target(0, SPAN_MS));
        // missing scrapes for 7 and 6.5 minutes: longer than the lookback
        queue("gappy", target(0, SPAN_MS).without(10 * MINUTE, 17 * MINUTE).without(40 * MINUTE, 46 * MINUTE + 30_000));
        queue("late", target(20 * MINUTE, SPAN_MS));
        queue("early_silent", target(0, 40 * MINUTE));
        // ends with a staleness marker, as Prometheus writes one when a target disappears
        Target earlyStale = target(0, 35 * MINUTE);
        double[] values = queueValues(earlyStale.size());
        values[values.length - 1] = STALE_NAN;
        add(labels("queue_depth", "queue", "early_stale"), earlyStale, values);
        // a marker in the middle, then the series comes back 3 minutes later
        Target flapping = target(0, SPAN_MS).without(22 * MINUTE + SCRAPE_MS, 25 * MINUTE);
        double[] flappingValues = queueValues(flapping.size());
        for (int i = 0; i < flapping.size(); i++) {
            if (flapping.timestamps[i] - t0 >= 22 * MINUTE && flapping.timestamps[i] - t0 < 22 * MINUTE + SCRAPE_MS) {
                flappingValues[i] = STALE_NAN;
            }
        }
        add(labels("queue_depth", "queue", "flapping"), flapping, flappingValues);
    }

    private void queue(String name, Target target) {
        add(labels("queue_depth", "queue", name), target, queueValues(target.size()));
    }

    private double[] queueValues(int n) {
        double[] values = new double[n];
        int depth = random.nextInt(50);
        for (int i = 0; i < n; i++) {
            depth = Math.max(0, depth + random.nextInt(7) - 3);
            values[i] = depth;
        }
        return values;
    }

    private void specialValues() {
        double[] cycle = { 1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -2.5, 0 };
        String[] kinds = { "nan", "inf", "neginf", "mixed" };
        for (String kind : kinds) {
            Target target = target(0, SPAN_MS);
            double[] values = new double[target.size()];
            for (int i = 0; i < values.length; i++) {
                double ordinary = round2(random.nextDouble() * 10);
                values[i] = switch (kind) {
                    case "nan" -> i % 7 == 3 ? Double.NaN : ordinary;
                    case "inf" -> i % 11 == 5 ? Double.POSITIVE_INFINITY : ordinary;
                    case "neginf" -> i % 13 == 2 ? Double.NEGATIVE_INFINITY : ordinary;
                    default -> cycle[i % cycle.length];
                };
            }
            add(labels("special_values", "kind", kind), target, values);
        }
    }

    /** Series for vector matching: up, build_info, a per-dc limit. */
    private void joins() {
        String[] instances = { "host-1:9100", "host-2:9100", "host-3:9100", "host-4:9100" };
        for (int n = 0; n < instances.length; n++) {
            Target target = target(0, SPAN_MS);
            double[] up = new double[target.size()];
            double[] info = new double[target.size()];
            for (int i = 0; i < up.length; i++) {
                up[i] = n == 2 && i >= 80 && i < 110 ? 0 : 1;
                info[i] = 1;
            }
            add(labels("up", "job", "node", "instance", instances[n]), target, up);
            add(labels("build_info", "job", "node", "instance", instances[n], "version", n < 2 ? "1.0" : "1.1"),
                    target, info);
        }
        for (String[] dc : new String[][] { { "east", "70" }, { "west", "65.5" } }) {
            Target target = target(0, SPAN_MS);
            double[] values = new double[target.size()];
            java.util.Arrays.fill(values, Double.parseDouble(dc[1]));
            add(labels("dc_temperature_limit", "dc", dc[0]), target, values);
        }
    }

    /**
     * Shapes real exporters produce: a histogram spelling one bound two ways ("1" and "1.0", which
     * histogram_quantile adds up), one whose buckets are not monotonic, a recording-rule name with colons, a counter
     * too large for small increments to be exact.
     */
    private void oddShapes() {
        Target legacy = target(0, SPAN_MS);
        String[] les = { "0.1", "1", "1.0", "10", "+Inf" };
        double[][] counts = new double[les.length][legacy.size()];
        long[] cumulative = new long[les.length];
        for (int i = 0; i < legacy.size(); i++) {
            for (int b = 0; b < les.length; b++) {
                cumulative[b] += (b + 1) * random.nextInt(4);
                counts[b][i] = cumulative[b];
            }
        }
        for (int b = 0; b < les.length; b++) {
            add(labels("legacy_duration_seconds_bucket", "job", "legacy", "le", les[b]), legacy, counts[b]);
        }
        Target broken = target(0, SPAN_MS);
        String[] brokenLes = { "0.5", "1", "2", "+Inf" };
        double[][] brokenCounts = new double[brokenLes.length][broken.size()];
        for (int i = 0; i < broken.size(); i++) {
            for (int b = 0; b < brokenLes.length; b++) {
                brokenCounts[b][i] = i * (b == 1 ? 1 : b + 2) + random.nextInt(3);
            }
        }
        for (int b = 0; b < brokenLes.length; b++) {
            add(labels("broken_duration_seconds_bucket", "job", "broken", "le", brokenLes[b]), broken,
                    brokenCounts[b]);
        }
        Target rule = target(0, SPAN_MS);
        double[] ruleValues = new double[rule.size()];
        for (int i = 0; i < ruleValues.length; i++) {
            ruleValues[i] = round2(random.nextDouble() * 3);
        }
        add(labels("job:http_requests:rate5m", "job", "api"), rule, ruleValues);
        Target big = target(0, SPAN_MS);
        double[] bigValues = new double[big.size()];
        double value = 9.007199254740000e15;
        for (int i = 0; i < bigValues.length; i++) {
            value += random.nextInt(3);
            bigValues[i] = value;
        }
        add(labels("bytes_sent_total", "job", "edge"), big, bigValues);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** The scrape times of one target: every 15 s from {@code fromMs} after t0, at its own offset, a few ms jitter. */
    private Target target(long fromMs, long toMs) {
        long offset = random.nextInt((int) SCRAPE_MS);
        List<Long> times = new ArrayList<>();
        for (long at = fromMs + offset; at <= toMs; at += SCRAPE_MS) {
            times.add(t0 + at + random.nextInt(5) - 2);
        }
        return new Target(times.stream().mapToLong(Long::longValue).toArray());
    }

    private final class Target {
        final long[] timestamps;

        Target(long[] timestamps) {
            this.timestamps = timestamps;
        }

        int size() {
            return timestamps.length;
        }

        /** Drops the scrapes in [fromMs, toMs) after t0. */
        Target without(long fromMs, long toMs) {
            return new Target(java.util.Arrays.stream(timestamps)
                    .filter(t -> t - t0 < fromMs || t - t0 >= toMs).toArray());
        }
    }

    private void add(Map<String, String> labels, Target target, double[] values) {
        series.add(new Series(labels, target.timestamps.clone(), values.clone()));
    }

    private static Map<String, String> labels(String name, String... pairs) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("__name__", name);
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(labels);
    }

    private static String[] concat(String[] pairs, String... more) {
        String[] all = java.util.Arrays.copyOf(pairs, pairs.length + more.length);
        System.arraycopy(more, 0, all, pairs.length, more.length);
        return all;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
