package io.tidemark.alerting.route;

import io.tidemark.alerting.silence.Silence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Alertmanager's dispatch as a pure function of the time: inhibition and silences mute alerts; the routing tree
 * (or an alert's own channels) puts each alert in notification groups (receiver x group_by labels); a group is sent
 * after group_wait, then at most every group_interval when it changed (a new firing alert, or a resolved one the
 * receiver has not heard of), and every repeat_interval while it still fires. Firing alerts not acknowledged within
 * a route's escalation delay also go to the escalation receiver, as their own group.
 */
public final class Dispatcher {

    /** What to send now, every group's state after this pass, and the groups that are gone. */
    public record Plan(List<Notification> notifications, Map<String, GroupState> groups, Set<String> removedGroups,
            Set<String> unknownReceivers, Set<String> mutedFingerprints) {
    }

    private record Group(String key, Route route, String receiver, Map<String, String> labels, boolean escalation,
            List<RoutedAlert> alerts) {
    }

    private Dispatcher() {
    }

    public static Plan plan(long nowMs, RoutingConfig config, List<RoutedAlert> alerts, List<Silence> silences,
            Map<String, GroupState> previous) {
        Set<String> muted = muted(nowMs, config, alerts, silences);
        Map<String, Group> groups = new LinkedHashMap<>();
        Set<String> unknownReceivers = new HashSet<>();
        for (RoutedAlert alert : alerts) {
            if (muted.contains(alert.fingerprint())) {
                continue;
            }
            List<Route> routes = new ArrayList<>();
            if (!alert.channels().isEmpty()) {
                for (String channel : alert.channels()) {
                    routes.add(config.root().toReceiver("ch", channel));
                }
            } else {
                routes.addAll(config.root().match(alert.labels()));
            }
            for (Route route : routes) {
                if (route.receiver().isEmpty()) {
                    continue;
                }
                if (!config.receivers().containsKey(route.receiver())) {
                    unknownReceivers.add(route.receiver());
                    continue;
                }
                Map<String, String> groupLabels = groupLabels(route, alert.labels());
                add(groups, route, route.receiver(), groupLabels, false, alert);
                Route.Escalation esc = route.escalation();
                if (esc != null) {
                    boolean overdue = alert.firing() && alert.ackedBy() == null && nowMs - alert.startsAtMs() >= esc.afterMs();
                    String escKey = key(route, esc.receiver(), groupLabels, true);
                    GroupState escState = previous.get(escKey);
                    boolean wasEscalated = !alert.firing() && escState != null
                            && escState.notifiedFiring().contains(alert.fingerprint());
                    if (overdue || wasEscalated) {
                        add(groups, route, esc.receiver(), groupLabels, true, alert);
                    }
                }
            }
        }
        List<Notification> out = new ArrayList<>();
        Map<String, GroupState> states = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            GroupState prev = previous.get(g.key());
            long firstSeen = prev == null ? nowMs : prev.firstSeenMs();
            GroupState state = prev != null ? prev
                    : new GroupState(g.key(), g.receiver(), firstSeen, 0, Set.of(), Set.of());
            // an escalation has waited long enough already: no group_wait
            boolean due = state.lastNotifiedMs() == 0 ? g.escalation() || nowMs >= firstSeen + g.route().groupWaitMs()
                    : nowMs >= state.lastNotifiedMs() + g.route().groupIntervalMs();
            List<RoutedAlert> firing = new ArrayList<>();
            List<RoutedAlert> resolved = new ArrayList<>();
            for (RoutedAlert a : g.alerts()) {
                (a.firing() ? firing : resolved).add(a);
            }
            firing.sort(Comparator.comparing(RoutedAlert::fingerprint));
            resolved.sort(Comparator.comparing(RoutedAlert::fingerprint));
            if (due && needsUpdate(state, firing, resolved, sendsResolved(config, g.receiver()),
                    g.route().repeatIntervalMs(), nowMs)) {
                out.add(new Notification(g.key(), g.receiver(), g.labels(), firing, resolved, g.escalation()));
                state = new GroupState(g.key(), g.receiver(), firstSeen, nowMs, fingerprints(firing),
                        fingerprints(resolved));
            }
            states.put(g.key(), state);
        }
        Set<String> removed = new HashSet<>(previous.keySet());
        removed.removeAll(states.keySet());
        return new Plan(out, states, removed, unknownReceivers, muted);
    }

    /** Alertmanager's dedup rule (notify/DedupStage.needsUpdate). */
    static boolean needsUpdate(GroupState state, List<RoutedAlert> firing, List<RoutedAlert> resolved,
            boolean sendResolved, long repeatMs, long nowMs) {
        if (state.lastNotifiedMs() == 0) {
            return !firing.isEmpty();
        }
        if (!state.notifiedFiring().containsAll(fingerprints(firing))) {
            return true;
        }
        if (firing.isEmpty()) {
            // everything resolved: tell the receiver if it had heard of firing alerts
            return !state.notifiedFiring().isEmpty();
        }
        if (sendResolved && !state.notifiedResolved().containsAll(fingerprints(resolved))) {
            return true;
        }
        return nowMs >= state.lastNotifiedMs() + repeatMs;
    }

    private static boolean sendsResolved(RoutingConfig config, String receiver) {
        return config.receivers().getOrDefault(receiver, List.of()).stream().anyMatch(ChannelConfig::sendResolved);
    }

    /** Inhibited (a firing source alert with equal labels, other than itself) or silenced. */
    static Set<String> muted(long nowMs, RoutingConfig config, List<RoutedAlert> alerts, List<Silence> silences) {
        Set<String> muted = new HashSet<>();
        for (RoutedAlert target : alerts) {
            for (Silence s : silences) {
                if (s.mutes(target.labels(), nowMs)) {
                    muted.add(target.fingerprint());
                }
            }
            for (InhibitRule rule : config.inhibitRules()) {
                if (!Matchers.matchAll(rule.target(), target.labels())) {
                    continue;
                }
                for (RoutedAlert source : alerts) {
                    if (source == target || !source.firing() || !Matchers.matchAll(rule.source(), source.labels())) {
                        continue;
                    }
                    if (Matchers.matchAll(rule.target(), source.labels()) && Matchers.matchAll(rule.source(), target.labels())) {
                        continue; // an alert matching both sides does not inhibit its peers (Alertmanager)
                    }
                    boolean equal = true;
                    for (String l : rule.equal()) {
                        if (!source.labels().getOrDefault(l, "").equals(target.labels().getOrDefault(l, ""))) {
                            equal = false;
                            break;
                        }
                    }
                    if (equal) {
                        muted.add(target.fingerprint());
                    }
                }
            }
        }
        return muted;
    }

    private static void add(Map<String, Group> groups, Route route, String receiver, Map<String, String> labels,
            boolean escalation, RoutedAlert alert) {
        String key = key(route, receiver, labels, escalation);
        groups.computeIfAbsent(key, k -> new Group(k, route, receiver, labels, escalation, new ArrayList<>()))
                .alerts().add(alert);
    }

    static String key(Route route, String receiver, Map<String, String> groupLabels, boolean escalation) {
        StringBuilder b = new StringBuilder(route.id()).append('|').append(receiver).append('|');
        if (escalation) {
            b.append("escalation|");
        }
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : groupLabels.entrySet()) {
            if (!first) {
                b.append(',');
            }
            b.append(e.getKey()).append("=\"").append(e.getValue().replace("\"", "\\\"")).append('"');
            first = false;
        }
        return b.append('}').toString();
    }

    private static Map<String, String> groupLabels(Route route, Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        if (route.groupByAll()) {
            out.putAll(labels);
        } else if (route.groupBy() != null) {
            for (String l : route.groupBy()) {
                String v = labels.get(l);
                if (v != null) {
                    out.put(l, v);
                }
            }
        }
        return out;
    }

    private static Set<String> fingerprints(List<RoutedAlert> alerts) {
        Set<String> out = new HashSet<>();
        alerts.forEach(a -> out.add(a.fingerprint()));
        return out;
    }

    /** Used by tests and the store: a state map keyed by group key. */
    public static Map<String, GroupState> index(List<GroupState> states) {
        Map<String, GroupState> out = new HashMap<>();
        states.forEach(s -> out.put(s.groupKey(), s));
        return out;
    }
}
