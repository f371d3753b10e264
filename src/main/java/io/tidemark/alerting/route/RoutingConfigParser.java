package io.tidemark.alerting.route;

import io.tidemark.alerting.rules.AlertTemplate;
import io.tidemark.promql.Durations;
import io.tidemark.promql.LabelMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the routing configuration, a subset of Alertmanager's: {@code route} (receiver, group_by, group_wait,
 * group_interval, repeat_interval, matchers, continue, routes, and Tidemark's escalation), {@code receivers} (webhook,
 * slack, pagerduty and email configs) and {@code inhibit_rules}. Errors name the field path.
 */
public final class RoutingConfigParser {

    /** A configuration that cannot be used: {@code field} is the path ({@code receivers[1].email_configs[0].to}). */
    public static final class ConfigException extends RuntimeException {
        private final String field;

        public ConfigException(String field, String reason) {
            super(field + ": " + reason);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static final String DEFAULT_PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

    private RoutingConfigParser() {
    }

    public static RoutingConfig parse(String yaml) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            throw new ConfigException("yaml", "line " + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        }
        Map<String, Object> top = map(root, "config");
        known(top, "config", Set.of("route", "receivers", "inhibit_rules", "global", "templates"));
        Map<String, List<ChannelConfig>> receivers = new LinkedHashMap<>();
        List<Object> receiverList = list(top.get("receivers"), "receivers");
        for (int i = 0; i < receiverList.size(); i++) {
            String path = "receivers[" + i + "]";
            Map<String, Object> r = map(receiverList.get(i), path);
            known(r, path, Set.of("name", "webhook_configs", "slack_configs", "pagerduty_configs", "email_configs"));
            String name = string(r, "name", path, null);
            if (name == null || name.isBlank()) {
                throw new ConfigException(path + ".name", "must be set");
            }
            if (receivers.containsKey(name)) {
                throw new ConfigException(path + ".name", "receiver \"" + name + "\" is defined twice");
            }
            receivers.put(name, channels(r, path));
        }
        if (top.get("route") == null) {
            throw new ConfigException("route", "must be set");
        }
        Route root1 = route(map(top.get("route"), "route"), "route", "0", null, receivers);
        if (root1.receiver().isEmpty()) {
            throw new ConfigException("route.receiver", "the root route must name a receiver");
        }
        List<InhibitRule> inhibit = new ArrayList<>();
        List<Object> rules = list(top.get("inhibit_rules"), "inhibit_rules");
        for (int i = 0; i < rules.size(); i++) {
            String path = "inhibit_rules[" + i + "]";
            Map<String, Object> r = map(rules.get(i), path);
            known(r, path, Set.of("source_matchers", "target_matchers", "equal", "source_match", "target_match"));
            inhibit.add(new InhibitRule(matchers(r, "source_matchers", "source_match", path),
                    matchers(r, "target_matchers", "target_match", path), strings(r.get("equal"), path + ".equal")));
        }
        return new RoutingConfig(root1, receivers, inhibit);
    }

    private static Route route(Map<String, Object> r, String path, String id, Route parent,
            Map<String, List<ChannelConfig>> receivers) {
        known(r, path, Set.of("receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "matchers",
                "match", "match_re", "continue", "routes", "escalation"));
        String receiver = string(r, "receiver", path, parent == null ? "" : parent.receiver());
        if (!receiver.isEmpty() && !receivers.containsKey(receiver)) {
            throw new ConfigException(path + ".receiver", "undefined receiver \"" + receiver + "\"");
        }
        List<String> groupBy = parent == null ? null : parent.groupBy();
        boolean groupByAll = parent != null && parent.groupByAll();
        if (r.containsKey("group_by")) {
            groupBy = strings(r.get("group_by"), path + ".group_by");
            groupByAll = groupBy.contains("...");
            if (groupByAll && groupBy.size() > 1) {
                throw new ConfigException(path + ".group_by", "'...' must be alone");
            }
        }
        long wait = duration(r, "group_wait", path, parent == null ? 30_000 : parent.groupWaitMs());
        long interval = duration(r, "group_interval", path, parent == null ? 300_000 : parent.groupIntervalMs());
        long repeat = duration(r, "repeat_interval", path, parent == null ? 4 * 3_600_000L : parent.repeatIntervalMs());
        if (interval <= 0) {
            throw new ConfigException(path + ".group_interval", "must be positive");
        }
        if (repeat <= 0) {
            throw new ConfigException(path + ".repeat_interval", "must be positive");
        }
        List<LabelMatcher> matchers = new ArrayList<>(matchers(r, "matchers", "match", path));
        if (r.containsKey("match_re")) {
            for (Map.Entry<String, Object> e : map(r.get("match_re"), path + ".match_re").entrySet()) {
                try {
                    matchers.add(LabelMatcher.of(io.tidemark.promql.MatchType.REGEX, e.getKey(), String.valueOf(e.getValue())));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(path + ".match_re." + e.getKey(), ex.getMessage());
                }
            }
        }
        if (parent == null && !matchers.isEmpty()) {
            throw new ConfigException(path + ".matchers", "the root route must not have matchers");
        }
        Route.Escalation escalation = parent == null ? null : parent.escalation();
        if (r.containsKey("escalation")) {
            Map<String, Object> e = map(r.get("escalation"), path + ".escalation");
            known(e, path + ".escalation", Set.of("receiver", "after"));
            String to = string(e, "receiver", path + ".escalation", null);
            if (to == null || !receivers.containsKey(to)) {
                throw new ConfigException(path + ".escalation.receiver", "undefined receiver \"" + to + "\"");
            }
            long after = duration(e, "after", path + ".escalation", 15 * 60_000L);
            escalation = new Route.Escalation(to, after);
        }
        boolean cont = Boolean.TRUE.equals(r.get("continue"));
        Route self = new Route(id, matchers, receiver, groupBy, groupByAll, wait, interval, repeat, cont, escalation,
                List.of());
        List<Route> children = new ArrayList<>();
        List<Object> routes = list(r.get("routes"), path + ".routes");
        for (int i = 0; i < routes.size(); i++) {
            children.add(route(map(routes.get(i), path + ".routes[" + i + "]"), path + ".routes[" + i + "]",
                    id + "." + i, self, receivers));
        }
        return new Route(id, matchers, receiver, groupBy, groupByAll, wait, interval, repeat, cont, escalation,
                children);
    }

    private static List<ChannelConfig> channels(Map<String, Object> r, String path) {
        List<ChannelConfig> out = new ArrayList<>();
        List<Object> webhooks = list(r.get("webhook_configs"), path + ".webhook_configs");
        for (int i = 0; i < webhooks.size(); i++) {
            String p = path + ".webhook_configs[" + i + "]";
            Map<String, Object> c = map(webhooks.get(i), p);
            known(c, p, Set.of("url", "send_resolved"));
            out.add(new ChannelConfig.Webhook(url(c, "url", p, null), bool(c, "send_resolved", true)));
        }
        List<Object> slacks = list(r.get("slack_configs"), path + ".slack_configs");
        for (int i = 0; i < slacks.size(); i++) {
            String p = path + ".slack_configs[" + i + "]";
            Map<String, Object> c = map(slacks.get(i), p);
            known(c, p, Set.of("api_url", "channel", "username", "title", "text", "send_resolved"));
            out.add(new ChannelConfig.Slack(url(c, "api_url", p, null), string(c, "channel", p, null),
                    string(c, "username", p, null), template(c, "title", p), template(c, "text", p),
                    bool(c, "send_resolved", true)));
        }
        List<Object> pds = list(r.get("pagerduty_configs"), path + ".pagerduty_configs");
        for (int i = 0; i < pds.size(); i++) {
            String p = path + ".pagerduty_configs[" + i + "]";
            Map<String, Object> c = map(pds.get(i), p);
            known(c, p, Set.of("routing_key", "url", "severity", "summary", "send_resolved"));
            String key = string(c, "routing_key", p, null);
            if (key == null || key.isBlank()) {
                throw new ConfigException(p + ".routing_key", "must be set");
            }
            out.add(new ChannelConfig.PagerDuty(url(c, "url", p, DEFAULT_PAGERDUTY_URL), key,
                    string(c, "severity", p, "error"), template(c, "summary", p), bool(c, "send_resolved", true)));
        }
        List<Object> emails = list(r.get("email_configs"), path + ".email_configs");
        for (int i = 0; i < emails.size(); i++) {
            String p = path + ".email_configs[" + i + "]";
            Map<String, Object> c = map(emails.get(i), p);
            known(c, p, Set.of("to", "from", "smarthost", "auth_username", "auth_password", "starttls", "subject",
                    "html", "text", "send_resolved", "tls_insecure_skip_verify"));
            Object toValue = c.get("to");
            List<String> to = toValue instanceof String s ? List.of(s.split("\\s*,\\s*")) : strings(toValue, p + ".to");
            if (to.isEmpty() || to.stream().anyMatch(a -> !a.contains("@"))) {
                throw new ConfigException(p + ".to", "must list one or more addresses, got " + toValue);
            }
            String from = string(c, "from", p, null);
            if (from == null || !from.contains("@")) {
                throw new ConfigException(p + ".from", "must be an address, got " + from);
            }
            String smarthost = string(c, "smarthost", p, null);
            int colon = smarthost == null ? -1 : smarthost.lastIndexOf(':');
            int port;
            try {
                port = colon < 0 ? -1 : Integer.parseInt(smarthost.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port <= 0 || port > 65535) {
                throw new ConfigException(p + ".smarthost", "must be host:port, got " + smarthost);
            }
            String startTls = string(c, "starttls", p, "required");
            if (!Set.of("required", "optional", "disabled").contains(startTls)) {
                throw new ConfigException(p + ".starttls", "must be required, optional or disabled, got " + startTls);
            }
            out.add(new ChannelConfig.Email(to, from, smarthost.substring(0, colon), port,
                    string(c, "auth_username", p, null), string(c, "auth_password", p, null), startTls,
                    bool(c, "tls_insecure_skip_verify", false),
                    template(c, "subject", p), template(c, "html", p), template(c, "text", p),
                    bool(c, "send_resolved", true)));
        }
        return out;
    }

    private static List<LabelMatcher> matchers(Map<String, Object> r, String key, String legacyKey, String path) {
        List<LabelMatcher> out = new ArrayList<>();
        List<String> texts = strings(r.get(key), path + "." + key);
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(Matchers.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path + "." + key + "[" + i + "]", e.getMessage());
            }
        }
        if (r.containsKey(legacyKey)) {
            for (Map.Entry<String, Object> e : map(r.get(legacyKey), path + "." + legacyKey).entrySet()) {
                out.add(LabelMatcher.equal(e.getKey(), String.valueOf(e.getValue())));
            }
        }
        return out;
    }

    private static String template(Map<String, Object> c, String key, String path) {
        String value = string(c, key, path, null);
        if (value != null) {
            try {
                AlertTemplate.parse(value);
            } catch (AlertTemplate.TemplateException e) {
                throw new ConfigException(path + "." + key, e.getMessage());
            }
        }
        return value;
    }

    private static String url(Map<String, Object> c, String key, String path, String fallback) {
        String value = string(c, key, path, fallback);
        if (value == null || !(value.startsWith("http://") || value.startsWith("https://"))) {
            throw new ConfigException(path + "." + key, "must be an http(s) URL, got " + value);
        }
        try {
            java.net.URI.create(value).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new ConfigException(path + "." + key, "invalid URL " + value + ": " + e.getMessage());
        }
        return value;
    }

    private static long duration(Map<String, Object> r, String key, String path, long fallback) {
        Object v = r.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + "." + key, e.getMessage());
        }
    }

    private static boolean bool(Map<String, Object> c, String key, boolean fallback) {
        Object v = c.get(key);
        return v == null ? fallback : Boolean.parseBoolean(String.valueOf(v));
    }

    private static String string(Map<String, Object> r, String key, String path, String fallback) {
        Object v = r.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(path + "." + key, "expected a string");
        }
        return String.valueOf(v);
    }

    private static List<String> strings(Object v, String path) {
        List<String> out = new ArrayList<>();
        for (Object o : list(v, path)) {
            if (o instanceof Map || o instanceof List) {
                throw new ConfigException(path, "expected a list of strings");
            }
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static void known(Map<String, Object> m, String path, Set<String> keys) {
        Set<String> unknown = new HashSet<>(m.keySet());
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            throw new ConfigException(path + "." + unknown.iterator().next(), "unknown field");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v, String path) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), val));
            return out;
        }
        throw new ConfigException(path, "expected a mapping");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v, String path) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new ConfigException(path, "expected a list");
    }
}
