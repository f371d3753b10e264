package io.tidemark.load;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The simulator's command-line options. */
public record LoadOptions(
        String host,
        int port,
        int hosts,
        int metrics,
        int rounds,
        Duration interval,
        int streams,
        int window,
        int batchHosts,
        String tenant,
        long startMs,
        Duration ackTimeout,
        Path json) {

    /** Simulated scrape interval: round r is stamped start + r * ROUND_STEP_MS. */
    public static final long ROUND_STEP_MS = 10_000;

    public static final String USAGE = """
            Usage: java -jar load/target/quarkus-app/quarkus-run.jar [options]
              --target HOST:PORT       Tidemark's gRPC address, plaintext                (127.0.0.1:9000)
              --hosts N                simulated hosts                                   (1000)
              --metrics N              series per host                                   (100)
              --rounds N               rounds; a round is one sample per series,
                                       stamped 10 s after the previous round             (60)
              --interval DURATION      real time between rounds: 0s = as fast as
                                       possible (benchmark), 10s = live fleet            (0s)
              --streams N              concurrent Push streams, one channel each         (2)
              --window N               unacknowledged batches allowed per stream         (8)
              --batch-hosts N          hosts per batch; a batch holds all their
                                       series for one round                              (100)
              --tenant NAME            x-tidemark-tenant request metadata                (default)
              --start now|ISO|MILLIS   data time of round 0; now = now - rounds x 10 s,
                                       or just now when --interval >= 10s;
                                       rounded down to 10 s                              (now)
              --ack-timeout DURATION   give up when a batch stays unacknowledged
                                       this long                                         (60s)
              --json FILE              also write the report as JSON                     (none)
              --help                   this help
            DURATION: 0s, 500ms, 10s, 2m, 1h or ISO-8601 such as PT10S.
            Exit code: 0 if every batch was acknowledged, 1 if not, 2 for a bad command line.
            """;


    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("target", "127.0.0.1:9000");
        d.put("hosts", "1000");
        d.put("metrics", "100");
        d.put("rounds", "60");
        d.put("interval", "0s");
        d.put("streams", "2");
        d.put("window", "8");
        d.put("batch-hosts", "100");
        d.put("tenant", "default");
        d.put("start", "now");
        d.put("ack-timeout", "60s");
        d.put("json", "");
        return d;
    }

    /** Thrown for bad command lines; the message is meant for the user. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    public int batchesPerRound() {
        return (hosts + batchHosts - 1) / batchHosts;
    }

    public long plannedBatches() {
        return (long) rounds * batchesPerRound();
    }

    public long plannedSamples() {
        return (long) rounds * hosts * metrics;
    }

    public String target() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Parses {@code --name value} and {@code --name=value}; {@code now} is the clock used for {@code --start now}. */
    public static LoadOptions parse(List<String> args, Instant now) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (!rest.isEmpty()) {
                value = rest.remove(0);
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
            if (!DEFAULTS.containsKey(name)) {
                throw new UsageException("unknown option --" + name);
            }
            values.put(name, value);
        }

        String target = values.get("target");
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--target must be HOST:PORT, got '" + target + "'");
        }
        String host = target.substring(0, colon).replaceAll("^\\[|]$", "");
        int port = positiveInt("target port", target.substring(colon + 1));
        int rounds = positiveInt("rounds", values.get("rounds"));
        Duration interval = duration("interval", values.get("interval"));
        String json = values.get("json");
        return new LoadOptions(
                host,
                port,
                positiveInt("hosts", values.get("hosts")),
                positiveInt("metrics", values.get("metrics")),
                rounds,
                interval,
                positiveInt("streams", values.get("streams")),
                positiveInt("window", values.get("window")),
                positiveInt("batch-hosts", values.get("batch-hosts")),
                values.get("tenant"),
                startMs(values.get("start"), rounds, interval, now),
                duration("ack-timeout", values.get("ack-timeout")),
                json.isEmpty() ? null : Path.of(json));
    }

    static int positiveInt(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a positive integer, got '" + value + "'");
    }

    static Duration duration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            switch (v.charAt(v.length() - 1)) {
                case 's': return Duration.ofSeconds(amount);
                case 'm': return Duration.ofMinutes(amount);
                case 'h': return Duration.ofHours(amount);
                default: break;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a duration such as 0s, 500ms, 10s or 2m, got '" + value + "'");
    }

    /** A duration the way the options spell it: 10s, 500ms. */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static long startMs(String value, int rounds, Duration interval, Instant now) {
        if (value.equals("now")) {
            // A live fleet (rounds at least 10 s apart) stamps each round no later than it is sent;
            // otherwise the whole run goes in the recent past, as the server rejects the far future.
            boolean live = interval.toMillis() >= ROUND_STEP_MS;
            long start = now.toEpochMilli() - (live ? 0 : rounds * ROUND_STEP_MS);
            return Math.floorDiv(start, ROUND_STEP_MS) * ROUND_STEP_MS;
        }
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
        } catch (RuntimeException e) {
            throw new UsageException("--start must be now, an ISO-8601 instant or epoch milliseconds, got '" + value + "'");
        }
    }
}
