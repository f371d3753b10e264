package io.tidemark.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.alerting.route.Dispatcher;
import io.tidemark.alerting.route.GroupState;
import io.tidemark.alerting.route.Matchers;
import io.tidemark.alerting.route.Notification;
import io.tidemark.alerting.route.RoutedAlert;
import io.tidemark.alerting.route.RoutingConfig;
import io.tidemark.alerting.route.RoutingConfigParser;
import io.tidemark.alerting.silence.Silence;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.Fingerprints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing, grouping timers, dedup, silences, inhibition and escalation, with the time passed in. */
class DispatcherTest {

    static final String CONFIG = """
            route:
              receiver: team
              group_by: [alertname]
              group_wait: 10s
              group_interval: 1m
              repeat_interval: 1h
              routes:
                - matchers: ['severity="critical"']
                  receiver: pager
                  escalation: {receiver: manager, after: 15m}
                  continue: true
                - matchers: ['team=~"db|storage"']
                  receiver: dba
            receivers:
              - name: team
                webhook_configs: [{url: "http://127.0.0.1:1/team"}]
              - name: pager
                webhook_configs: [{url: "http://127.0.0.1:1/pager"}]
              - name: manager
                webhook_configs: [{url: "http://127.0.0.1:1/manager"}]
              - name: dba
                webhook_configs: [{url: "http://127.0.0.1:1/dba", send_resolved: false}]
              - name: direct
                webhook_configs: [{url: "http://127.0.0.1:1/direct"}]
            inhibit_rules:
              - source_matchers: ['alertname="HostDown"']
                target_matchers: ['alertname!="HostDown"']
                equal: [host]
            """;
    static final long T0 = 1_700_000_000_000L;

    final RoutingConfig config = RoutingConfigParser.parse(CONFIG);
    Map<String, GroupState> groups = new HashMap<>();
    final List<Silence> silences = new ArrayList<>();

    static RoutedAlert alert(String name, String host, AlertState state, Map<String, String> extra, List<String> channels) {
        Map<String, String> labels = new HashMap<>(extra);
        labels.put("alertname", name);
        labels.put("host", host);
        return new RoutedAlert(Fingerprints.of(labels), "g", name, labels, Map.of(), state, 1, T0,
                state == AlertState.RESOLVED ? T0 + 1 : 0, channels, null, 0);
    }

    static RoutedAlert firing(String name, String host) {
        return alert(name, host, AlertState.FIRING, Map.of(), List.of());
    }

    List<Notification> at(long t, List<RoutedAlert> alerts) {
        Dispatcher.Plan plan = Dispatcher.plan(t, config, alerts, silences, groups);
        groups = new HashMap<>(plan.groups());
        return plan.notifications();
    }

    @Test
    void fiftyHostsAreOneNotificationAfterGroupWait() {
        List<RoutedAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            alerts.add(firing("HighCPU", "host-" + i));
        }
        assertEquals(List.of(), at(T0, alerts), "group_wait 10s");
        List<Notification> sent = at(T0 + 10_000, alerts);
        assertEquals(1, sent.size());
        assertEquals("team", sent.get(0).receiver());
        assertEquals(50, sent.get(0).firing().size());
        assertEquals(Map.of("alertname", "HighCPU"), sent.get(0).groupLabels());
        assertEquals(List.of(), at(T0 + 20_000, alerts), "unchanged: deduplicated");
    }

    @Test
    void changesWaitForGroupIntervalAndUnchangedGroupsRepeat() {
        List<RoutedAlert> alerts = new ArrayList<>(List.of(firing("HighCPU", "a")));
        at(T0, alerts);
        assertEquals(1, at(T0 + 10_000, alerts).size());
        alerts.add(firing("HighCPU", "b"));
        assertEquals(List.of(), at(T0 + 30_000, alerts), "a new alert waits for group_interval");
        List<Notification> update = at(T0 + 70_000, alerts);
        assertEquals(1, update.size());
        assertEquals(2, update.get(0).firing().size());
        assertEquals(List.of(), at(T0 + 70_000 + 1_800_000, alerts), "no change, repeat_interval not reached");
        assertEquals(1, at(T0 + 70_000 + 3_600_000, alerts).size(), "repeat_interval");
        // a resolution is news
        List<RoutedAlert> resolved = List.of(firing("HighCPU", "a"), alert("HighCPU", "b", AlertState.RESOLVED, Map.of(),
                List.of()));
        List<Notification> r = at(T0 + 70_000 + 3_600_000 + 60_000, resolved);
        assertEquals(1, r.size());
        assertEquals(1, r.get(0).resolved().size());
        assertEquals(1, r.get(0).firing().size());
        List<RoutedAlert> allResolved = List.of(alert("HighCPU", "a", AlertState.RESOLVED, Map.of(), List.of()),
                alert("HighCPU", "b", AlertState.RESOLVED, Map.of(), List.of()));
        List<Notification> end = at(T0 + 70_000 + 3_600_000 + 120_000, allResolved);
        assertEquals("resolved", end.get(0).status());
        assertEquals(List.of(), at(T0 + 70_000 + 3_600_000 + 180_000, allResolved));
        assertTrue(at(T0 + 70_000 + 3_600_000 + 240_000, List.of()).isEmpty());
        assertTrue(groups.isEmpty(), "groups without alerts are dropped");
    }

    @Test
    void routingTreeWithContinueAndChannels() {
        RoutedAlert critical = alert("DiskFull", "a", AlertState.FIRING, Map.of("severity", "critical", "team", "db"),
                List.of());
        RoutedAlert direct = alert("Latency", "a", AlertState.FIRING, Map.of("severity", "critical"), List.of("direct"));
        RoutedAlert unknown = alert("Latency2", "a", AlertState.FIRING, Map.of(), List.of("nobody"));
        at(T0, List.of(critical, direct, unknown));
        Dispatcher.Plan plan = Dispatcher.plan(T0 + 10_000, config, List.of(critical, direct, unknown), silences, groups);
        assertEquals(List.of("dba", "direct", "pager"),
                plan.notifications().stream().map(Notification::receiver).sorted().toList());
        assertEquals(java.util.Set.of("nobody"), plan.unknownReceivers());
    }

    @Test
    void silencesMuteMatchingAlertsWhileActive() {
        silences.add(new Silence("s1", List.of(Matchers.parse("host=\"a\"")), T0, T0 + 60_000, "ops", "maintenance"));
        List<RoutedAlert> alerts = List.of(firing("HighCPU", "a"), firing("HighCPU", "b"));
        at(T0, alerts);
        List<Notification> sent = at(T0 + 10_000, alerts);
        assertEquals(List.of("b"), sent.get(0).firing().stream().map(a -> a.labels().get("host")).toList());
        List<Notification> after = at(T0 + 70_000, alerts);
        assertEquals(2, after.get(0).firing().size(), "the silence expired by itself");
    }

    @Test
    void hostDownInhibitsThatHostsOtherAlerts() {
        List<RoutedAlert> alerts = List.of(firing("HostDown", "a"), firing("HighCPU", "a"), firing("HighCPU", "b"));
        at(T0, alerts);
        List<Notification> sent = at(T0 + 10_000, alerts);
        Map<String, List<String>> byName = new HashMap<>();
        for (Notification n : sent) {
            byName.put(n.groupLabels().get("alertname"), n.firing().stream().map(a -> a.labels().get("host")).toList());
        }
        assertEquals(Map.of("HostDown", List.of("a"), "HighCPU", List.of("b")), byName);
    }

    @Test
    void unacknowledgedCriticalAlertsEscalate() {
        RoutedAlert crit = alert("DiskFull", "a", AlertState.FIRING, Map.of("severity", "critical"), List.of());
        RoutedAlert crit2 = alert("DiskFull", "b", AlertState.FIRING, Map.of("severity", "critical"), List.of());
        RoutedAlert acked = new RoutedAlert(crit2.fingerprint(), "g", "DiskFull", crit2.labels(), Map.of(),
                AlertState.FIRING, 1, T0, 0, List.of(), "alice", T0 + 60_000);
        at(T0, List.of(crit, acked));
        // the critical route matched (continue: true, but no later sibling matches): the root's receiver is not used
        assertEquals(List.of("pager"), at(T0 + 10_000, List.of(crit, acked)).stream()
                .map(Notification::receiver).sorted().toList());
        assertEquals(List.of(), at(T0 + 14 * 60_000, List.of(crit, acked)));
        List<Notification> escalated = at(T0 + 15 * 60_000 + 10_000, List.of(crit, acked));
        assertEquals(1, escalated.size());
        assertEquals("manager", escalated.get(0).receiver());
        assertTrue(escalated.get(0).escalation());
        assertEquals(List.of("a"), escalated.get(0).firing().stream().map(a -> a.labels().get("host")).toList(),
                "the acknowledged alert is not escalated");
        RoutedAlert resolved = alert("DiskFull", "a", AlertState.RESOLVED, Map.of("severity", "critical"), List.of());
        List<Notification> end = at(T0 + 30 * 60_000, List.of(resolved, acked));
        assertTrue(end.stream().anyMatch(n -> n.receiver().equals("manager") && n.resolved().size() == 1),
                "the escalation receiver hears of the resolution: " + end);
    }

    @Test
    void configErrorsNameTheField() {
        RoutingConfigParser.ConfigException e = assertThrows(RoutingConfigParser.ConfigException.class,
                () -> RoutingConfigParser.parse(CONFIG.replace("receiver: dba", "receiver: dbb")));
        assertEquals("route.routes[1].receiver", e.field());
        e = assertThrows(RoutingConfigParser.ConfigException.class,
                () -> RoutingConfigParser.parse(CONFIG.replace("group_wait: 10s", "group_wait: soon")));
        assertEquals("route.group_wait", e.field());
        e = assertThrows(RoutingConfigParser.ConfigException.class,
                () -> RoutingConfigParser.parse(CONFIG.replace("['severity=\"critical\"']", "['severity~critical']")));
        assertEquals("route.routes[0].matchers[0]", e.field());
    }
}
