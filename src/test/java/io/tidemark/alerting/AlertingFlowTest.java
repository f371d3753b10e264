package io.tidemark.alerting;

import static io.tidemark.alerting.ScriptedRuleQuerier.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.alerting.eval.AlertSample;
import io.tidemark.alerting.eval.RuleEvaluator;
import io.tidemark.alerting.notify.NotificationRenderer;
import io.tidemark.alerting.outbox.OutboxStore;
import io.tidemark.alerting.outbox.OutboxWorker;
import io.tidemark.alerting.route.Matchers;
import io.tidemark.alerting.route.RoutingStore;
import io.tidemark.alerting.rules.RuleStore;
import io.tidemark.alerting.silence.SilenceStore;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.AlertStateStore;
import io.tidemark.alerting.state.HistoryEntry;
import io.tidemark.ingest.IngestService;
import io.tidemark.testing.Db;
import io.tidemark.testing.TestServices;
import io.tidemark.testing.TidemarkTestResource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evaluator, dispatcher and outbox end to end against real PostgreSQL, a real HTTP server (webhook, Slack,
 * PagerDuty) and a real SMTP server (GreenMail behind a STARTTLS front, with auth). Rule results come from
 * {@link ScriptedRuleQuerier}; time is the test's (the evaluator's clock), ticks and deliveries are driven by hand.
 */
@QuarkusTest
@TestProfile(AlertingTestProfile.class)
@QuarkusTestResource(TidemarkTestResource.class)
class AlertingFlowTest {

    static final String TENANT = "alerting-flow";
    static final Duration WAIT = Duration.ofSeconds(10);
    static HttpReceiver http;
    static GreenMail mail;
    static StartTlsSmtpFront smtp;

    @Inject RuleEvaluator evaluator;
    @Inject AlertingClock clock;
    @Inject ScriptedRuleQuerier querier;
    @Inject OutboxWorker worker;
    @Inject AlertingService service;
    @Inject AlertingConfig config;
    @Inject RuleStore ruleStore;
    @Inject AlertStateStore stateStore;
    @Inject RoutingStore routingStore;
    @Inject SilenceStore silenceStore;
    @Inject OutboxStore outboxStore;
    @Inject IngestService ingest;
    @Inject MeterRegistry meters;
    @Inject Pool pool;

    long now;

    @BeforeAll
    static void servers() throws Exception {
        http = new HttpReceiver();
        mail = new GreenMail(new ServerSetup(TestServices.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.setUser("alerts@tidemark.test", "alerts", "s3cret");
        mail.start();
        smtp = new StartTlsSmtpFront(mail.getSmtp().getPort());
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        smtp.close();
        mail.stop();
    }

    @BeforeEach
    void clean() throws Exception {
        for (String table : List.of("alert_rule_groups", "alert_instances", "alert_history", "alert_group_evaluations",
                "alert_routing_configs", "alert_silences", "alert_acks", "alert_notification_groups", "alert_outbox",
                "alert_leases")) {
            Db.execute("DELETE FROM " + table);
        }
        evaluator.reset();
        querier.clear();
        http.drain();
        http.failNext.set(0);
        mail.purgeEmailFromAllMailboxes();
        now = (System.currentTimeMillis() / 1000) * 1000;
        clock.use(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
    }

    void advance(long ms) {
        now += ms;
        clock.use(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
    }

    boolean tick() {
        return evaluator.tick().await().atMost(WAIT);
    }

    int deliver() {
        return worker.drain().await().atMost(WAIT);
    }

    void config(String yaml) {
        service.putRoutingConfig(TENANT, yaml).await().atMost(WAIT);
    }

    void rules(String yaml) {
        service.putRuleFile(TENANT, yaml).await().atMost(WAIT);
    }

    static String webhookConfig(String groupBy, String timers) {
        return """
                route:
                  receiver: hook
                  group_by: [%s]
                  %s
                receivers:
                  - name: hook
                    webhook_configs: [{url: "%s"}]
                """.formatted(groupBy, timers, http.url("/hook"));
    }

    static List<AlertSample> hosts(int n, double value) {
        List<AlertSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sample(value, "__name__", "cpu", "host", "host-" + String.format("%02d", i)));
        }
        return out;
    }

    @Test
    void everyChannelSpeaksItsProtocolFiringAndResolved() throws Exception {
        config("""
                route:
                  receiver: all
                  group_by: [alertname]
                  group_wait: 0s
                  group_interval: 10s
                receivers:
                  - name: all
                    webhook_configs: [{url: "%s"}]
                    slack_configs: [{api_url: "%s", channel: "#oncall", title: "{{ .Status | toUpper }} {{ .CommonLabels.alertname }}"}]
                    pagerduty_configs: [{routing_key: "R0UT1NGKEY", url: "%s", severity: critical}]
                    email_configs:
                      - to: oncall@tidemark.test
                        from: alerts@tidemark.test
                        smarthost: 127.0.0.1:%d
                        auth_username: alerts
                        auth_password: s3cret
                        starttls: required
                        tls_insecure_skip_verify: true
                """.formatted(http.url("/webhook"), http.url("/slack"), http.url("/pagerduty"), smtp.port()));
        rules("""
                groups:
                  - name: cpu
                    interval: 10s
                    rules:
                      - alert: HighCPU
                        expr: cpu > 90
                        labels: {severity: page}
                        annotations:
                          summary: "CPU on {{ $labels.host }} is {{ $value }}%"
                """);
        querier.answer("cpu > 90", List.of(sample(95, "__name__", "cpu", "host", "a"), sample(97, "__name__", "cpu",
                "host", "b")));
        assertTrue(tick());
        assertEquals(4, deliver());
        Map<String, JsonObject> byPath = byPath(http.drain());
        assertEquals(Set.of("/webhook", "/slack", "/pagerduty"), byPath.keySet());

        JsonObject hook = byPath.get("/webhook");
        assertEquals("4", hook.getString("version"));
        assertEquals("firing", hook.getString("status"));
        assertEquals("all", hook.getString("receiver"));
        assertEquals(new JsonObject().put("alertname", "HighCPU"), hook.getJsonObject("groupLabels"));
        assertEquals(new JsonObject().put("alertname", "HighCPU").put("severity", "page"),
                hook.getJsonObject("commonLabels"));
        assertEquals(0, hook.getInteger("truncatedAlerts"));
        assertTrue(hook.getString("groupKey").contains("alertname=\"HighCPU\""), hook.getString("groupKey"));
        JsonArray alerts = hook.getJsonArray("alerts");
        assertEquals(2, alerts.size());
        JsonObject a = alerts.getJsonObject(0).getJsonObject("labels").getString("host").equals("a")
                ? alerts.getJsonObject(0) : alerts.getJsonObject(1);
        assertEquals("firing", a.getString("status"));
        assertEquals("CPU on a is 95%", a.getJsonObject("annotations").getString("summary"));
        assertEquals(Instant.ofEpochMilli(now).toString(), a.getString("startsAt"));
        assertEquals("0001-01-01T00:00:00Z", a.getString("endsAt"));
        assertEquals(16, a.getString("fingerprint").length());

        JsonObject slack = byPath.get("/slack");
        assertEquals("#oncall", slack.getString("channel"));
        assertEquals("FIRING HighCPU", slack.getString("text"));
        JsonArray blocks = slack.getJsonArray("blocks");
        assertEquals("header", blocks.getJsonObject(0).getString("type"));
        assertEquals("FIRING HighCPU", blocks.getJsonObject(0).getJsonObject("text").getString("text"));
        assertEquals("mrkdwn", blocks.getJsonObject(1).getJsonObject("text").getString("type"));
        assertTrue(blocks.getJsonObject(1).getJsonObject("text").getString("text").contains("CPU on b is 97%"));

        JsonObject pd = byPath.get("/pagerduty");
        assertEquals("trigger", pd.getString("event_action"));
        assertEquals("R0UT1NGKEY", pd.getString("routing_key"));
        String dedupKey = pd.getString("dedup_key");
        assertEquals(64, dedupKey.length());
        assertEquals("critical", pd.getJsonObject("payload").getString("severity"));
        assertEquals("tidemark", pd.getJsonObject("payload").getString("source"));
        assertTrue(pd.getJsonObject("payload").getString("summary").startsWith("[FIRING:2]"),
                pd.getJsonObject("payload").getString("summary"));

        assertTrue(mail.waitForIncomingEmail(10_000, 1));
        MimeMessage message = mail.getReceivedMessages()[0];
        assertTrue(message.getSubject().startsWith("[FIRING:2]"), message.getSubject());
        assertEquals("oncall@tidemark.test", message.getAllRecipients()[0].toString());
        MimeMultipart parts = (MimeMultipart) message.getContent();
        Set<String> types = new TreeSet<>();
        String text = "";
        for (int i = 0; i < parts.getCount(); i++) {
            types.add(parts.getBodyPart(i).getContentType().split(";")[0].toLowerCase());
            if (parts.getBodyPart(i).isMimeType("text/plain")) {
                text = String.valueOf(parts.getBodyPart(i).getContent());
            }
        }
        assertEquals(Set.of("text/html", "text/plain"), types);
        assertTrue(text.contains("CPU on a is 95%") && text.contains("CPU on b is 97%"), "one mail for the group: " + text);
        assertTrue(smtp.tlsSessions.get() >= 1, "the session was upgraded with STARTTLS");
        assertTrue(smtp.authCommands.get() >= 1, "the client authenticated");

        // resolved: the same four channels hear of it; PagerDuty resolves the same incident
        querier.answer("cpu > 90", List.of());
        advance(10_000);
        assertTrue(tick());
        assertEquals(4, deliver());
        byPath = byPath(http.drain());
        assertEquals("resolved", byPath.get("/webhook").getString("status"));
        JsonObject resolvedAlert = byPath.get("/webhook").getJsonArray("alerts").getJsonObject(0);
        assertEquals(Instant.ofEpochMilli(now).toString(), resolvedAlert.getString("endsAt"));
        assertEquals("resolve", byPath.get("/pagerduty").getString("event_action"));
        assertEquals(dedupKey, byPath.get("/pagerduty").getString("dedup_key"));
        assertEquals(NotificationRenderer.dedupKey(TENANT, hook.getString("groupKey")), dedupKey);
        assertTrue(byPath.get("/slack").getString("text").startsWith("RESOLVED"));
        assertTrue(mail.waitForIncomingEmail(10_000, 2));
        assertTrue(mail.getReceivedMessages()[1].getSubject().startsWith("[RESOLVED]"),
                mail.getReceivedMessages()[1].getSubject());
    }

    @Test
    void wrongSmtpPasswordIsRefusedAndRetried() throws Exception {
        config("""
                route: {receiver: mail, group_wait: 0s}
                receivers:
                  - name: mail
                    email_configs:
                      - {to: oncall@tidemark.test, from: alerts@tidemark.test, smarthost: "127.0.0.1:%d",
                         auth_username: alerts, auth_password: wrong, tls_insecure_skip_verify: true}
                """.formatted(smtp.port()));
        rules("groups: [{name: g, rules: [{alert: A, expr: up == 0}]}]");
        querier.answer("up == 0", List.of(sample(0, "job", "x")));
        tick();
        deliver();
        assertEquals(0, mail.getReceivedMessages().length);
        assertEquals(1, Db.count("SELECT count(*) FROM alert_outbox WHERE delivered_ms IS NULL AND attempts = 1"
                + " AND last_error LIKE '%SMTP%'"));
    }

    @Test
    void fiftyFiringHostsAreOneNotificationThenDedupThenRepeat() throws Exception {
        config(webhookConfig("alertname", "group_wait: 0s\n  group_interval: 30s\n  repeat_interval: 5m"));
        rules("groups: [{name: hosts, interval: 10s, rules: [{alert: HighCPU, expr: cpu > 90}]}]");
        querier.answer("cpu > 90", hosts(50, 95));
        tick();
        deliver();
        List<HttpReceiver.Request> first = http.drain();
        assertEquals(1, first.size(), "one notification for 50 hosts");
        assertEquals(50, first.get(0).body().getJsonArray("alerts").size());
        for (int i = 0; i < 12; i++) { // 2 minutes of evaluations, nothing new
            advance(10_000);
            tick();
        }
        deliver();
        assertEquals(List.of(), http.drain(), "deduplicated");
        for (int i = 0; i < 18; i++) { // past repeat_interval (5m)
            advance(10_000);
            tick();
        }
        deliver();
        List<HttpReceiver.Request> repeat = http.drain();
        assertEquals(1, repeat.size(), "repeat_interval");
        assertEquals(50, repeat.get(0).body().getJsonArray("alerts").size());
    }

    @Test
    void forAndKeepFiringForThroughTheLoopWithHistory() throws Exception {
        config(webhookConfig("alertname", "group_wait: 0s\n  group_interval: 10s"));
        rules("""
                groups:
                  - name: disk
                    interval: 10s
                    rules:
                      - alert: DiskFull
                        expr: disk_used > 0.9
                        for: 20s
                        keep_firing_for: 20s
                """);
        querier.answer("disk_used > 0.9", List.of(sample(0.95, "host", "a")));
        tick();
        assertEquals(AlertState.PENDING, onlyAlertState());
        advance(10_000);
        tick();
        assertEquals(AlertState.PENDING, onlyAlertState());
        deliver();
        assertEquals(List.of(), http.drain(), "pending alerts are not sent");
        advance(10_000);
        tick();
        assertEquals(AlertState.FIRING, onlyAlertState(), "for: 20s elapsed");
        deliver();
        assertEquals("firing", http.next(WAIT).body().getString("status"));
        querier.answer("disk_used > 0.9", List.of());
        advance(10_000);
        tick();
        assertEquals(AlertState.FIRING, onlyAlertState(), "keep_firing_for");
        advance(10_000);
        tick();
        assertEquals(AlertState.FIRING, onlyAlertState(), "keep_firing_for");
        advance(10_000);
        tick();
        assertEquals(AlertState.RESOLVED, onlyAlertState());
        deliver();
        assertEquals("resolved", http.next(WAIT).body().getString("status"));

        List<HistoryEntry> history = service.history(TENANT, "DiskFull", null, 0, 0, 0).await().atMost(WAIT);
        assertEquals(List.of(AlertState.RESOLVED, AlertState.FIRING, AlertState.PENDING),
                history.stream().map(HistoryEntry::state).toList(), "newest first");
        assertEquals(0.95, history.get(1).value());
        assertEquals("a", history.get(1).labels().get("host"));
        assertEquals(1, service.history(TENANT, "DiskFull", AlertState.FIRING, 0, 0, 0).await().atMost(WAIT).size());
        assertEquals(0, service.history(TENANT, "DiskFull", null, now + 1, 0, 0).await().atMost(WAIT).size());
        assertEquals(0, service.history(TENANT, "Other", null, 0, 0, 0).await().atMost(WAIT).size());
    }

    @Test
    void silencesInhibitionAcknowledgementAndEscalation() throws Exception {
        config("""
                route:
                  receiver: team
                  group_by: [alertname]
                  group_wait: 0s
                  group_interval: 10s
                  escalation: {receiver: manager, after: 5m}
                receivers:
                  - name: team
                    webhook_configs: [{url: "%s"}]
                  - name: manager
                    webhook_configs: [{url: "%s"}]
                inhibit_rules:
                  - source_matchers: ['alertname="HostDown"']
                    target_matchers: ['alertname!="HostDown"']
                    equal: [host]
                """.formatted(http.url("/team"), http.url("/manager")));
        rules("""
                groups:
                  - name: hosts
                    interval: 10s
                    rules:
                      - {alert: HostDown, expr: up == 0}
                      - {alert: HighCPU, expr: cpu > 90}
                """);
        querier.answer("up == 0", List.of(sample(0, "host", "a")));
        querier.answer("cpu > 90", List.of(sample(95, "host", "a"), sample(96, "host", "b"), sample(97, "host", "c")));
        service.createSilence(TENANT, List.of(Matchers.parse("host=\"c\"")), now, now + 60_000, "ops", "maintenance")
                .await().atMost(WAIT);
        tick();
        deliver();
        Map<String, List<String>> hostsByAlert = new java.util.HashMap<>();
        for (HttpReceiver.Request r : http.drain()) {
            assertEquals("/team", r.path());
            hostsByAlert.put(r.body().getJsonObject("groupLabels").getString("alertname"), hosts(r.body()));
        }
        assertEquals(Map.of("HostDown", List.of("a"), "HighCPU", List.of("b")), hostsByAlert,
                "a's CPU alert is inhibited by HostDown, c's is silenced");

        // acknowledge HostDown on a; after 5 minutes only the unacknowledged HighCPU escalates
        String hostDown = service.alerts(TENANT).await().atMost(WAIT).stream()
                .filter(v -> v.stored().rule().equals("HostDown")).findFirst().orElseThrow().stored().alert().fingerprint();
        AlertingService.AlertView acked = service.acknowledge(TENANT, hostDown, "alice@tidemark.test", "on it")
                .await().atMost(WAIT);
        assertEquals("alice@tidemark.test", acked.ack().by());
        for (int i = 0; i < 30; i++) {
            advance(10_000);
            tick();
        }
        deliver();
        List<HttpReceiver.Request> later = http.drain();
        List<HttpReceiver.Request> toManager = later.stream().filter(r -> r.path().equals("/manager")).toList();
        assertEquals(1, toManager.size(), later.toString());
        assertEquals("HighCPU", toManager.get(0).body().getJsonObject("groupLabels").getString("alertname"));
        // the silence on c ended after 60 s: c joins its group (b, c) and is escalated with b
        assertEquals(List.of("b", "c"), hosts(toManager.get(0).body()));
        assertTrue(later.stream().anyMatch(r -> r.path().equals("/team") && hosts(r.body()).equals(List.of("b", "c"))),
                "the silence expired by itself: " + later);
        assertTrue(service.alerts(TENANT).await().atMost(WAIT).stream()
                .anyMatch(v -> v.ack() != null && v.ack().by().equals("alice@tidemark.test")));
    }

    @Test
    void receiverDownIsRetriedWithBackoffAndDeliveredOnce() throws Exception {
        config(webhookConfig("alertname", "group_wait: 0s"));
        rules("groups: [{name: g, rules: [{alert: A, expr: up == 0}]}]");
        querier.answer("up == 0", List.of(sample(0, "job", "x")));
        http.failNext.set(3);
        tick();
        long deadline = System.currentTimeMillis() + 10_000;
        HttpReceiver.Request got = null;
        while (got == null && System.currentTimeMillis() < deadline) {
            deliver();
            got = http.next(Duration.ofMillis(150));
        }
        assertNotNull(got, "delivered once the receiver is up");
        assertEquals(3, http.refused.getAndSet(0), "three refused attempts before");
        assertEquals(1, Db.count("SELECT count(*) FROM alert_outbox WHERE delivered_ms IS NOT NULL AND attempts = 4"));
        Thread.sleep(500);
        deliver();
        assertNull(http.next(Duration.ofMillis(300)), "delivered exactly once");
    }

    @Test
    void decidedButUndeliveredSurvivesACrashAndARestartDoesNotRenotify() throws Exception {
        config(webhookConfig("alertname", "group_wait: 0s\n  group_interval: 10s"));
        rules("groups: [{name: g, interval: 10s, rules: [{alert: A, expr: up == 0}]}]");
        querier.answer("up == 0", List.of(sample(0, "job", "x")));
        tick();
        // a replica claims the decided row and dies before sending it
        assertEquals(1, outboxStore.claim(System.currentTimeMillis(), 2_000, 10, 50).await().atMost(WAIT).size());
        assertEquals(0, deliver(), "claimed by the dead sender");
        // the evaluator restarts: fresh memory, state from PostgreSQL
        evaluator.lease().release().await().atMost(WAIT);
        RuleEvaluator restarted = replica();
        advance(10_000);
        assertTrue(restarted.tick().await().atMost(WAIT));
        assertEquals(AlertState.FIRING, onlyAlertState(), "the firing alert survived the restart");
        Thread.sleep(2_100);
        assertEquals(1, deliver(), "delivered after the dead sender's claim ran out");
        assertEquals("firing", http.next(WAIT).body().getString("status"));
        assertEquals(1, Db.count("SELECT count(*) FROM alert_outbox"), "the restart decided nothing new");
        advance(10_000);
        restarted.tick().await().atMost(WAIT);
        deliver();
        assertNull(http.next(Duration.ofMillis(300)));
        restarted.lease().release().await().atMost(WAIT);
    }

    @Test
    void twoReplicasSendOneNotificationAndTheSecondTakesOverWhenTheFirstDies() throws Exception {
        config(webhookConfig("alertname", "group_wait: 0s\n  group_interval: 10s"));
        rules("groups: [{name: g, interval: 10s, rules: [{alert: A, expr: up == 0}]}]");
        querier.answer("up == 0", List.of(sample(0, "job", "x")));
        RuleEvaluator second = replica();
        boolean firstHeld = tick();
        boolean secondHeld = second.tick().await().atMost(WAIT);
        assertTrue(firstHeld ^ secondHeld, "exactly one replica holds the lease");
        deliver();
        assertEquals(1, http.drain().size());
        RuleEvaluator holder = firstHeld ? evaluator : second;
        RuleEvaluator standby = firstHeld ? second : evaluator;
        for (int i = 0; i < 3; i++) {
            advance(10_000);
            holder.tick().await().atMost(WAIT);
            standby.tick().await().atMost(WAIT);
        }
        deliver();
        assertEquals(List.of(), http.drain(), "no duplicate from either replica");
        // the holder dies (stops ticking, keeps its lease row); the standby takes over once it expires (2s)
        querier.answer("up == 0", List.of(sample(0, "job", "x"), sample(0, "job", "y")));
        long died = System.currentTimeMillis();
        boolean took = false;
        while (!took && System.currentTimeMillis() - died < 5_000) {
            advance(1_000);
            took = standby.tick().await().atMost(WAIT);
            Thread.sleep(200);
        }
        assertTrue(took, "taken over");
        assertTrue(System.currentTimeMillis() - died < 3_500, "within the lease ttl and a tick");
        advance(10_000); // the group's next evaluation
        assertTrue(standby.tick().await().atMost(WAIT));
        deliver();
        List<HttpReceiver.Request> after = http.drain();
        assertEquals(1, after.size());
        assertEquals(List.of("x", "y"), after.get(0).body().getJsonArray("alerts").stream()
                .map(o -> ((JsonObject) o).getJsonObject("labels").getString("job")).sorted().toList(),
                "the new alert, with the old one it groups with");
        if (standby != evaluator) {
            standby.lease().release().await().atMost(WAIT);
        }
    }

    @Test
    void aFailingRuleKeepsItsAlertsAndCountsTheFailure() throws Exception {
        config(webhookConfig("alertname", "group_wait: 0s"));
        rules("groups: [{name: flaky, interval: 10s, rules: [{alert: A, expr: up == 0}]}]");
        querier.answer("up == 0", List.of(sample(0, "job", "x")));
        tick();
        querier.fail("up == 0", "storage unavailable");
        advance(10_000);
        tick();
        assertEquals(AlertState.FIRING, onlyAlertState(), "a failed evaluation changes nothing");
        double failures = meters.counter("tidemark_alerting_group_evaluation_failures", "tenant", TENANT, "group",
                "flaky").count();
        assertEquals(1.0, failures);
        var evaluation = service.groups(TENANT).await().atMost(WAIT).get(0).evaluation();
        assertEquals("err", evaluation.rules().get("A").health());
        assertEquals("storage unavailable", evaluation.rules().get("A").lastError());
    }

    @Test
    void samplesIngestedThroughIngestServiceDriveTheRulesThroughThePromQLEngine() throws Exception {
        config(webhookConfig("alertname", "group_wait: 0s\n  group_interval: 10s"));
        rules("""
                groups:
                  - name: rooms
                    interval: 10s
                    rules:
                      - alert: HotRoom
                        expr: max by (room) (room_temp) > 50
                        for: 20s
                        annotations: {summary: "{{ $labels.room }} is at {{ $value }} degrees"}
                """);
        double[][] temps = { {40, 60}, {45, 65}, {44, 66}, {41, 30} }; // rooms a and b, every 10 s
        List<AlertState> states = new ArrayList<>();
        for (int i = 0; i < temps.length; i++) {
            if (i > 0) {
                advance(10_000);
            }
            ingest.ingest(TENANT, List.of(
                    io.tidemark.ingest.IncomingSeries.of("room_temp", Map.of("room", "a"), now, temps[i][0]),
                    io.tidemark.ingest.IncomingSeries.of("room_temp", Map.of("room", "b"), now, temps[i][1])))
                    .await().atMost(WAIT);
            assertTrue(tick());
            states.add(onlyAlertState());
            deliver();
        }
        assertEquals(List.of(AlertState.PENDING, AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED), states);
        List<HttpReceiver.Request> sent = http.drain();
        assertEquals(List.of("firing", "resolved"), sent.stream().map(r -> r.body().getString("status")).toList());
        JsonObject alert = sent.get(0).body().getJsonArray("alerts").getJsonObject(0);
        assertEquals(new JsonObject().put("alertname", "HotRoom").put("room", "b"), alert.getJsonObject("labels"));
        assertEquals("b is at 66 degrees", alert.getJsonObject("annotations").getString("summary"));
    }

    @Test
    void recordingRulesStoreTheirResultThroughIngest() {
        rules("groups: [{name: rec, interval: 10s, rules: [{record: 'job:cpu:avg', expr: avg by (job) (cpu),"
                + " labels: {source: rule}}]}]");
        querier.answer("avg by (job) (cpu)", List.of(sample(41.5, "job", "api"), sample(12.25, "job", "db")));
        tick();
        assertEquals(2, Db.samplesOf(TENANT, "job:cpu:avg"));
        assertEquals(1, Db.count("SELECT count(*) FROM samples s JOIN series r ON r.id = s.series_id WHERE r.tenant = ?"
                + " AND r.name = 'job:cpu:avg' AND r.labels->>'job' = 'api' AND r.labels->>'source' = 'rule'"
                + " AND s.value = 41.5 AND s.ts = ?", TENANT, now));
    }

    private RuleEvaluator replica() {
        return new RuleEvaluator(config, clock, ruleStore, stateStore, routingStore, silenceStore, outboxStore, worker,
                querier, ingest, meters, pool);
    }

    private AlertState onlyAlertState() {
        var alerts = service.alerts(TENANT).await().atMost(WAIT);
        assertEquals(1, alerts.size(), alerts.toString());
        return alerts.get(0).stored().alert().state();
    }

    private static List<String> hosts(JsonObject webhook) {
        List<String> out = new ArrayList<>();
        webhook.getJsonArray("alerts").forEach(o -> out.add(((JsonObject) o).getJsonObject("labels").getString("host")));
        out.sort(null);
        return out;
    }

    private static Map<String, JsonObject> byPath(List<HttpReceiver.Request> requests) {
        Map<String, JsonObject> out = new java.util.HashMap<>();
        for (HttpReceiver.Request r : requests) {
            assertFalse(out.containsKey(r.path()), "one request per channel: " + requests);
            out.put(r.path(), r.body());
        }
        return out;
    }
}
