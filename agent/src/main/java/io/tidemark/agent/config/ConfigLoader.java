package io.tidemark.agent.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads agent.yaml (the shape of the design notes' example, extended) into {@link AgentConfig}. Unknown keys are
 * refused, so a typo never silently falls back to a default. {@code ${VAR}} and {@code ${VAR:-default}} in values
 * are taken from the environment. Every error names the key.
 */
public final class ConfigLoader {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");
    private static final Pattern TENANT = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");

    private final Function<String, String> environment;

    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public AgentConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("(file)", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    public AgentConfig parse(String yamlText) throws ConfigException {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (YAMLException e) {
            throw new ConfigException("(file)", "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        Node top = new Node("", root == null ? Map.of() : root);
        top.allowOnly("collection", "endpoints", "metrics", "buffering", "auth", "host", "tenant", "shipping",
                "self_metrics");

        Node collection = top.child("collection");
        collection.allowOnly("interval", "batch_size");
        Duration interval = collection.duration("interval", Duration.ofSeconds(10));
        int batchSize = collection.integer("batch_size", 1000, 1, 100_000);

        Node endpoints = top.child("endpoints");
        endpoints.allowOnly("primary", "backup");
        AgentConfig.Endpoint primary = endpoints.endpoint("primary", "http://127.0.0.1:9000");
        AgentConfig.Endpoint backup = endpoints.has("backup") ? endpoints.endpoint("backup", null) : null;

        Node auth = top.child("auth");
        auth.allowOnly("api_key");
        String apiKey = auth.string("api_key", "");
        String tenant = top.string("tenant", "");
        if (!tenant.isEmpty() && !TENANT.matcher(tenant).matches()) {
            throw new ConfigException("tenant", "\"" + tenant + "\" must match [a-zA-Z0-9_.-]{1,64}");
        }

        Node host = top.child("host");
        host.allowOnly("id", "hostname", "ip", "labels", "heartbeat_interval", "label_series");
        String hostId = host.string("id", "");
        if (!hostId.isEmpty()) {
            try {
                java.util.UUID.fromString(hostId);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("host.id", "\"" + hostId + "\" is not a UUID");
            }
        }
        Map<String, String> hostLabels = host.labels("labels");
        for (String column : List.of("environment", "datacenter")) {
            if (hostLabels.getOrDefault(column, "").length() > 50) {
                throw new ConfigException("host.labels." + column, "is longer than 50 characters (the hosts registry's "
                        + column + " column)");
            }
        }
        AgentConfig.Host hostConfig = new AgentConfig.Host(hostId, host.string("hostname", ""), host.string("ip", ""),
                hostLabels, host.duration("heartbeat_interval", Duration.ofSeconds(30)),
                host.bool("label_series", true));

        Node metrics = top.child("metrics");
        metrics.allowOnly("system", "applications");
        AgentConfig.SystemCollectors system = systemCollectors(metrics.child("system"), interval);
        List<AgentConfig.ScrapeTarget> targets = new ArrayList<>();
        AgentConfig.Statsd statsd = new AgentConfig.Statsd("127.0.0.1", 0, interval, 10_000, List.of(0.5, 0.9, 0.99));
        List<Node> applications = metrics.list("applications");
        for (Node app : applications) {
            String type = app.string("type", null);
            if (type == null) {
                throw new ConfigException(app.path("type"), "missing: every application needs type http or statsd");
            }
            switch (type) {
                case "http" -> targets.add(scrapeTarget(app, interval));
                case "statsd" -> {
                    if (statsd.enabled()) {
                        throw new ConfigException(app.path("type"), "only one statsd listener may be configured");
                    }
                    statsd = statsd(app, interval);
                }
                default -> throw new ConfigException(app.path("type"), "\"" + type + "\" is not http or statsd");
            }
        }

        Node buffering = top.child("buffering");
        buffering.allowOnly("max_size", "max_bytes", "disk_path");
        AgentConfig.Buffering buffer = new AgentConfig.Buffering(
                Path.of(buffering.string("disk_path", "/var/lib/tidemark-agent/buffer")),
                buffering.integer("max_size", 10_000, 1, 10_000_000),
                buffering.bytes("max_bytes", 256L << 20));

        Node shipping = top.child("shipping");
        shipping.allowOnly("backoff_min", "backoff_max", "window", "ack_timeout", "primary_retry");
        Duration backoffMin = shipping.duration("backoff_min", Duration.ofSeconds(1));
        Duration backoffMax = shipping.duration("backoff_max", Duration.ofSeconds(60));
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new ConfigException("shipping.backoff_max", backoffMax + " is shorter than shipping.backoff_min "
                    + backoffMin);
        }
        AgentConfig.Shipping ship = new AgentConfig.Shipping(backoffMin, backoffMax,
                shipping.integer("window", 8, 1, 64), shipping.duration("ack_timeout", Duration.ofSeconds(60)),
                shipping.duration("primary_retry", Duration.ofMinutes(5)));

        Node self = top.child("self_metrics");
        self.allowOnly("listen", "interval");
        String listen = self.string("listen", "127.0.0.1:9465");
        String listenHost = null;
        int listenPort = 0;
        if (!listen.isEmpty() && !listen.equals("off")) {
            int colon = listen.lastIndexOf(':');
            try {
                listenHost = colon > 0 ? listen.substring(0, colon) : "127.0.0.1";
                listenPort = Integer.parseInt(listen.substring(colon + 1));
                if (listenPort < 1 || listenPort > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ConfigException("self_metrics.listen", "\"" + listen + "\" must be host:port (port 1-65535) "
                        + "or off");
            }
        }
        AgentConfig.SelfMetrics selfMetrics = new AgentConfig.SelfMetrics(listenHost, listenPort,
                self.duration("interval", interval));

        return new AgentConfig(interval, batchSize, primary, backup, tenant, apiKey, hostConfig, system, targets, statsd,
                buffer, ship, selfMetrics);
    }

    private AgentConfig.SystemCollectors systemCollectors(Node system, Duration interval) throws ConfigException {
        system.allowOnly("enabled", "interval", "cpu", "load", "memory", "filesystem", "disk", "network", "system",
                "proc_path", "sys_path");
        boolean enabled = system.bool("enabled", true);
        Duration base = system.duration("interval", interval);
        return new AgentConfig.SystemCollectors(enabled, Path.of(system.string("proc_path", "/proc")),
                Path.of(system.string("sys_path", "/sys")),
                system.collectorInterval("cpu", base, enabled), system.collectorInterval("load", base, enabled),
                system.collectorInterval("memory", base, enabled),
                system.collectorInterval("filesystem", Duration.ofSeconds(60).compareTo(base) > 0
                        ? Duration.ofSeconds(60) : base, enabled),
                system.collectorInterval("disk", base, enabled), system.collectorInterval("network", base, enabled),
                system.collectorInterval("system", base, enabled));
    }

    private AgentConfig.ScrapeTarget scrapeTarget(Node app, Duration interval) throws ConfigException {
        app.allowOnly("type", "url", "job", "interval", "timeout", "sample_limit", "labels");
        String url = app.string("url", null);
        if (url == null) {
            throw new ConfigException(app.path("url"), "missing: an http application needs the URL to scrape");
        }
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(app.path("url"), "\"" + url + "\" " + e.getMessage());
        }
        Duration every = app.duration("interval", interval);
        Duration timeout = app.duration("timeout", every.compareTo(Duration.ofSeconds(10)) < 0 ? every
                : Duration.ofSeconds(10));
        if (timeout.compareTo(every) > 0) {
            throw new ConfigException(app.path("timeout"), timeout + " is longer than the interval " + every);
        }
        return new AgentConfig.ScrapeTarget(url, app.string("job", "scrape"), every, timeout,
                app.integer("sample_limit", 50_000, 1, 10_000_000), app.labels("labels"));
    }

    private AgentConfig.Statsd statsd(Node app, Duration interval) throws ConfigException {
        app.allowOnly("type", "port", "bind", "flush_interval", "max_series", "quantiles");
        int port = app.integer("port", 8125, 1, 65535);
        List<Double> quantiles = new ArrayList<>();
        if (app.has("quantiles")) {
            for (Node q : app.list("quantiles")) {
                double value = q.asDouble();
                if (!(value >= 0 && value <= 1)) {
                    throw new ConfigException(q.path, value + " is not a quantile in [0, 1]");
                }
                quantiles.add(value);
            }
        } else {
            quantiles.addAll(List.of(0.5, 0.9, 0.99));
        }
        return new AgentConfig.Statsd(app.string("bind", "127.0.0.1"), port, app.duration("flush_interval", interval),
                app.integer("max_series", 10_000, 1, 1_000_000), List.copyOf(quantiles));
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** A position in the YAML tree: its dotted path and its value. */
    private final class Node {
        final String path;
        final Object value;

        Node(String path, Object value) {
            this.path = path;
            this.value = value;
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() throws ConfigException {
            if (value instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!(k instanceof String)) {
                        throw new ConfigException(path.isEmpty() ? String.valueOf(k) : path + "." + k,
                                "keys must be strings");
                    }
                }
                return (Map<String, Object>) m;
            }
            throw new ConfigException(path.isEmpty() ? "(file)" : path, "must be a mapping, not " + describe(value));
        }

        boolean has(String key) throws ConfigException {
            return value != null && map().get(key) != null;
        }

        Object raw(String key) throws ConfigException {
            return value == null ? null : map().get(key);
        }

        void allowOnly(String... keys) throws ConfigException {
            if (value == null) {
                return;
            }
            Set<String> allowed = Set.of(keys);
            for (String key : map().keySet()) {
                if (!allowed.contains(key)) {
                    throw new ConfigException(path(key), "unknown key (allowed here: " + String.join(", ", keys) + ")");
                }
            }
        }

        Node child(String key) throws ConfigException {
            Object v = raw(key);
            if (v != null && !(v instanceof Map)) {
                throw new ConfigException(path(key), "must be a mapping, not " + describe(v));
            }
            return new Node(path(key), v);
        }

        List<Node> list(String key) throws ConfigException {
            Object v = raw(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> items)) {
                throw new ConfigException(path(key), "must be a list, not " + describe(v));
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                nodes.add(new Node(path(key) + "[" + i + "]", items.get(i)));
            }
            return nodes;
        }

        String string(String key, String fallback) throws ConfigException {
            Object v = raw(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Map || v instanceof List) {
                throw new ConfigException(path(key), "must be a single value, not " + describe(v));
            }
            return substitute(path(key), String.valueOf(v));
        }

        boolean bool(String key, boolean fallback) throws ConfigException {
            Object v = raw(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            String s = string(key, null);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
            throw new ConfigException(path(key), "\"" + s + "\" must be true or false");
        }

        int integer(String key, int fallback, int min, int max) throws ConfigException {
            Object v = raw(key);
            if (v == null) {
                return fallback;
            }
            long n;
            try {
                n = v instanceof Number number && !(v instanceof Double) ? number.longValue()
                        : Long.parseLong(string(key, null).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(path(key), "\"" + v + "\" is not a whole number");
            }
            if (n < min || n > max) {
                throw new ConfigException(path(key), n + " is outside " + min + ".." + max);
            }
            return (int) n;
        }

        long bytes(String key, long fallback) throws ConfigException {
            Object v = raw(key);
            if (v == null) {
                return fallback;
            }
            String s = string(key, null).trim();
            Matcher m = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?").matcher(s);
            if (!m.matches()) {
                throw new ConfigException(path(key), "\"" + s + "\" is not a size such as 268435456, 512MiB or 1GiB");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            long factor = switch (unit) {
                case "KiB" -> 1L << 10;
                case "MiB" -> 1L << 20;
                case "GiB" -> 1L << 30;
                case "KB" -> 1000L;
                case "MB" -> 1000_000L;
                case "GB" -> 1000_000_000L;
                default -> 1L;
            };
            if (n * factor < 1 << 20) {
                throw new ConfigException(path(key), s + " is below the minimum of 1MiB");
            }
            return n * factor;
        }

        double asDouble() throws ConfigException {
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(String.valueOf(value));
            } catch (NumberFormatException e) {
                throw new ConfigException(path, "\"" + value + "\" is not a number");
            }
        }

        Duration duration(String key, Duration fallback) throws ConfigException {
            Object v = raw(key);
            if (v == null) {
                return fallback;
            }
            String s = string(key, null);
            Duration d = parseDuration(s);
            if (d == null) {
                throw new ConfigException(path(key), "\"" + s + "\" is not a duration such as 500ms, 10s, 1m or 1h");
            }
            // shipping timings may be shorter than a second (tests use them); collection intervals may not
            if (d.toMillis() < 1000 && !path(key).startsWith("shipping.")) {
                throw new ConfigException(path(key), s + " is below the minimum of 1s");
            }
            if (d.isZero()) {
                throw new ConfigException(path(key), "must be positive");
            }
            return d;
        }

        AgentConfig.Endpoint endpoint(String key, String fallback) throws ConfigException {
            String text = string(key, fallback);
            return endpointOf(path(key), text);
        }

        /** {@code cpu: true|false|10s}: on at the base interval, off, or on at its own interval. */
        Duration collectorInterval(String key, Duration base, boolean enabled) throws ConfigException {
            Object v = raw(key);
            if (!enabled) {
                return null;
            }
            if (v == null || Boolean.TRUE.equals(v)) {
                return base;
            }
            if (Boolean.FALSE.equals(v)) {
                return null;
            }
            String s = string(key, null);
            if (s.equals("true")) {
                return base;
            }
            if (s.equals("false")) {
                return null;
            }
            Duration d = parseDuration(s);
            if (d == null || d.toMillis() < 1000) {
                throw new ConfigException(path(key), "\"" + s + "\" must be true, false or an interval of at least 1s "
                        + "(e.g. 1s, 10s, 60s)");
            }
            return d;
        }

        Map<String, String> labels(String key) throws ConfigException {
            Node labels = child(key);
            Map<String, String> out = new LinkedHashMap<>();
            if (labels.value == null) {
                return out;
            }
            for (Map.Entry<String, Object> e : labels.map().entrySet()) {
                if (!LABEL_NAME.matcher(e.getKey()).matches()) {
                    throw new ConfigException(labels.path(e.getKey()), "label name must match [a-zA-Z_][a-zA-Z0-9_.]*");
                }
                out.put(e.getKey(), labels.string(e.getKey(), ""));
            }
            if (out.size() > 20) {
                throw new ConfigException(path(key), out.size() + " labels, over the limit of 20");
            }
            return out;
        }

        private String substitute(String key, String text) throws ConfigException {
            Matcher m = ENV.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = environment.apply(m.group(1));
                if (value == null) {
                    if (m.group(2) == null) {
                        throw new ConfigException(key, "environment variable " + m.group(1) + " is not set (write ${"
                                + m.group(1) + ":-} to allow it to be empty)");
                    }
                    value = m.group(3);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "\"" + v + "\"";
    }

    /** Endpoint parsing lives here so the error names the key. */
    private static AgentConfig.Endpoint endpointOf(String key, String text) throws ConfigException {
        try {
            return AgentConfig.Endpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "\"" + text + "\": " + e.getMessage());
        }
    }

}
