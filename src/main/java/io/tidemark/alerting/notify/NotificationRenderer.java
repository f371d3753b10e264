package io.tidemark.alerting.notify;

import io.tidemark.alerting.route.ChannelConfig;
import io.tidemark.alerting.route.Notification;
import io.tidemark.alerting.route.RoutedAlert;
import io.tidemark.alerting.rules.AlertTemplate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a notification into each channel's own request at decision time, so every retry sends the same bytes:
 * Alertmanager's webhook JSON (version 4), a Slack message with blocks, a PagerDuty Events API v2 event, and a
 * mail with text and HTML parts. Titles and bodies come from templates, overridable per receiver channel.
 */
public final class NotificationRenderer {

    public static final String DEFAULT_TITLE = "[{{ .Status | toUpper }}{{ if .Firing }}:{{ len .Firing }}{{ end }}]"
            + " {{ .GroupLabelsText }}{{ if .Escalation }} (escalated: not acknowledged){{ end }}";
    public static final String DEFAULT_TEXT = "{{ range .Alerts }}[{{ .Status }}] {{ .LabelsText }}"
            + "{{ if .Annotations.summary }} - {{ .Annotations.summary }}{{ end }}\n{{ end }}";
    public static final String DEFAULT_HTML = "<html><body><h2>{{ .Title }}</h2><table>"
            + "<tr><th>status</th><th>alert</th><th>summary</th><th>since</th></tr>"
            + "{{ range .Alerts }}<tr><td>{{ .Status }}</td><td>{{ .LabelsText }}</td><td>{{ .Annotations.summary }}</td>"
            + "<td>{{ .StartsAt }}</td></tr>{{ end }}</table></body></html>";
    /** Alertmanager's zero time for endsAt of firing alerts. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private NotificationRenderer() {
    }

    public static List<OutboxMessage> render(String tenant, Notification n, List<ChannelConfig> channels,
            String externalUrl) {
        List<OutboxMessage> out = new ArrayList<>();
        for (ChannelConfig c : channels) {
            Notification view = c.sendResolved() ? n
                    : new Notification(n.groupKey(), n.receiver(), n.groupLabels(), n.firing(), List.of(), n.escalation());
            if (view.firing().isEmpty() && view.resolved().isEmpty()) {
                continue; // only resolutions, and this channel does not send them
            }
            Map<String, Object> data = data(view, externalUrl);
            if (c instanceof ChannelConfig.Webhook w) {
                out.add(new OutboxMessage(n.receiver(), "webhook", new JsonObject().put("url", w.url()),
                        webhook(tenant, view, externalUrl)));
            } else if (c instanceof ChannelConfig.Slack s) {
                out.add(new OutboxMessage(n.receiver(), "slack", new JsonObject().put("url", s.url()), slack(s, data)));
            } else if (c instanceof ChannelConfig.PagerDuty p) {
                out.add(new OutboxMessage(n.receiver(), "pagerduty", new JsonObject().put("url", p.url()),
                        pagerDuty(tenant, p, view, data, externalUrl)));
            } else if (c instanceof ChannelConfig.Email e) {
                JsonObject target = new JsonObject().put("host", e.host()).put("port", e.port())
                        .put("username", e.username()).put("password", e.password()).put("starttls", e.startTls())
                        .put("insecure", e.insecureSkipVerify()).put("from", e.from()).put("to", new JsonArray(e.to()));
                String subject = expand(e.subject() != null ? e.subject() : DEFAULT_TITLE, data);
                data.put("Title", subject);
                JsonObject payload = new JsonObject().put("subject", subject)
                        .put("text", expand(e.text() != null ? e.text() : DEFAULT_TEXT, data))
                        .put("html", expand(e.html() != null ? e.html() : DEFAULT_HTML, data));
                out.add(new OutboxMessage(n.receiver(), "email", target, payload));
            }
        }
        return out;
    }

    /** Alertmanager's webhook payload, version 4. */
    static JsonObject webhook(String tenant, Notification n, String externalUrl) {
        JsonArray alerts = new JsonArray();
        for (RoutedAlert a : all(n)) {
            alerts.add(new JsonObject().put("status", a.firing() ? "firing" : "resolved")
                    .put("labels", new JsonObject(new LinkedHashMap<>(new TreeMap<>(a.labels()))))
                    .put("annotations", new JsonObject(new LinkedHashMap<>(new TreeMap<>(a.annotations()))))
                    .put("startsAt", Instant.ofEpochMilli(a.startsAtMs()).toString())
                    .put("endsAt", a.endsAtMs() == 0 ? ZERO_TIME : Instant.ofEpochMilli(a.endsAtMs()).toString())
                    .put("generatorURL", externalUrl + "/api/v1/alerts")
                    .put("fingerprint", a.fingerprint()));
        }
        return new JsonObject().put("version", "4").put("groupKey", n.groupKey()).put("truncatedAlerts", 0)
                .put("status", n.status()).put("receiver", n.receiver())
                .put("groupLabels", new JsonObject(new LinkedHashMap<>(n.groupLabels())))
                .put("commonLabels", new JsonObject(new LinkedHashMap<>(common(n, true))))
                .put("commonAnnotations", new JsonObject(new LinkedHashMap<>(common(n, false))))
                .put("externalURL", externalUrl).put("alerts", alerts);
    }

    static JsonObject slack(ChannelConfig.Slack s, Map<String, Object> data) {
        String title = expand(s.title() != null ? s.title() : DEFAULT_TITLE, data);
        String text = expand(s.text() != null ? s.text() : DEFAULT_TEXT, data);
        JsonArray blocks = new JsonArray()
                .add(new JsonObject().put("type", "header").put("text",
                        new JsonObject().put("type", "plain_text").put("text", cut(title, 150))))
                .add(new JsonObject().put("type", "section").put("text",
                        new JsonObject().put("type", "mrkdwn").put("text", cut(text.isEmpty() ? " " : text, 3000))))
                .add(new JsonObject().put("type", "context").put("elements", new JsonArray().add(new JsonObject()
                        .put("type", "mrkdwn").put("text", "receiver *" + data.get("Receiver") + "* | status *"
                                + data.get("Status") + "*"))));
        JsonObject body = new JsonObject().put("text", title).put("blocks", blocks);
        if (s.channel() != null) {
            body.put("channel", s.channel());
        }
        if (s.username() != null) {
            body.put("username", s.username());
        }
        return body;
    }

    static JsonObject pagerDuty(String tenant, ChannelConfig.PagerDuty p, Notification n, Map<String, Object> data,
            String externalUrl) {
        JsonObject event = new JsonObject().put("routing_key", p.routingKey())
                .put("dedup_key", dedupKey(tenant, n.groupKey()))
                .put("event_action", n.firing().isEmpty() ? "resolve" : "trigger");
        if (!n.firing().isEmpty()) {
            String summary = expand(p.summary() != null ? p.summary() : DEFAULT_TITLE, data);
            event.put("payload", new JsonObject().put("summary", cut(summary, 1024)).put("source", "tidemark")
                    .put("severity", p.severity())
                    .put("custom_details", new JsonObject().put("firing", expand(DEFAULT_TEXT, data))
                            .put("num_firing", n.firing().size()).put("num_resolved", n.resolved().size())))
                    .put("client", "Tidemark").put("client_url", externalUrl);
        }
        return event;
    }

    /** Stable per notification group, so PagerDuty folds triggers and resolves one incident. */
    public static String dedupKey(String tenant, String groupKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((tenant + "\u0000" + groupKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The template data: Status, Receiver, GroupLabels, CommonLabels, CommonAnnotations, Alerts, Firing, Resolved. */
    static Map<String, Object> data(Notification n, String externalUrl) {
        Map<String, Object> d = new HashMap<>();
        d.put("Status", n.status());
        d.put("Receiver", n.receiver());
        d.put("GroupKey", n.groupKey());
        d.put("GroupLabels", n.groupLabels());
        d.put("GroupLabelsText", labelsText(n.groupLabels().isEmpty() ? common(n, true) : n.groupLabels()));
        d.put("CommonLabels", common(n, true));
        d.put("CommonAnnotations", common(n, false));
        d.put("ExternalURL", externalUrl);
        d.put("Escalation", n.escalation());
        List<Object> firing = new ArrayList<>();
        List<Object> resolved = new ArrayList<>();
        n.firing().forEach(a -> firing.add(alertData(a)));
        n.resolved().forEach(a -> resolved.add(alertData(a)));
        List<Object> alerts = new ArrayList<>(firing);
        alerts.addAll(resolved);
        d.put("Alerts", alerts);
        d.put("Firing", firing);
        d.put("Resolved", resolved);
        return d;
    }

    private static Map<String, Object> alertData(RoutedAlert a) {
        Map<String, Object> m = new HashMap<>();
        m.put("Status", a.firing() ? "firing" : "resolved");
        m.put("Labels", a.labels());
        m.put("Annotations", a.annotations());
        m.put("LabelsText", labelsText(a.labels()));
        m.put("StartsAt", Instant.ofEpochMilli(a.startsAtMs()).toString());
        m.put("EndsAt", a.endsAtMs() == 0 ? "" : Instant.ofEpochMilli(a.endsAtMs()).toString());
        m.put("Fingerprint", a.fingerprint());
        m.put("Value", a.value());
        m.put("AcknowledgedBy", a.ackedBy() == null ? "" : a.ackedBy());
        return m;
    }

    private static String labelsText(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    private static List<RoutedAlert> all(Notification n) {
        List<RoutedAlert> all = new ArrayList<>(n.firing());
        all.addAll(n.resolved());
        return all;
    }

    /** Labels (or annotations) every alert of the notification has with the same value. */
    private static Map<String, String> common(Notification n, boolean labels) {
        List<RoutedAlert> all = all(n);
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<String, String> common = new TreeMap<>(labels ? all.get(0).labels() : all.get(0).annotations());
        for (RoutedAlert a : all) {
            Map<String, String> m = labels ? a.labels() : a.annotations();
            common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return common;
    }

    private static String expand(String template, Map<String, Object> data) {
        return AlertTemplate.parse(template).expand(data, Map.of());
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
