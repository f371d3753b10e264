package io.tidemark.alerting;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.route.RoutingConfig;
import io.tidemark.alerting.route.RoutingConfigParser;
import io.tidemark.alerting.route.RoutingStore;
import io.tidemark.alerting.rules.AnomalyForm;
import io.tidemark.alerting.rules.RuleFileParser;
import io.tidemark.alerting.rules.RuleForms;
import io.tidemark.alerting.rules.RuleGroup;
import io.tidemark.alerting.rules.RuleSpec;
import io.tidemark.alerting.rules.RuleStore;
import io.tidemark.alerting.rules.RuleValidationException;
import io.tidemark.alerting.rules.ThresholdForm;
import io.tidemark.alerting.silence.Silence;
import io.tidemark.alerting.silence.SilenceStore;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.AlertStateStore;
import io.tidemark.alerting.state.GroupEvaluation;
import io.tidemark.alerting.state.HistoryEntry;
import io.tidemark.alerting.state.StoredAlert;
import io.tidemark.promql.Durations;
import io.tidemark.promql.LabelMatcher;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What the gRPC and HTTP edges call: validation, then the stores. Every method is scoped to a tenant. */
@Singleton
public class AlertingService {

    /** An alert with its acknowledgement, if any. */
    public record AlertView(StoredAlert stored, RoutingStore.Ack ack) {
    }

    /** A group with its last evaluation (null before the first), for /api/v1/rules. */
    public record GroupView(RuleGroup group, GroupEvaluation evaluation) {
    }

    private final RuleStore rules;
    private final AlertStateStore states;
    private final RoutingStore routing;
    private final SilenceStore silences;
    private final AlertingConfig config;
    private final AlertingClock clock;

    public AlertingService(RuleStore rules, AlertStateStore states, RoutingStore routing, SilenceStore silences,
            AlertingConfig config, AlertingClock clock) {
        this.rules = rules;
        this.states = states;
        this.routing = routing;
        this.silences = silences;
        this.config = config;
        this.clock = clock;
    }

    public Uni<List<RuleGroup>> putRuleFile(String tenant, String yaml) {
        return validated(() -> RuleFileParser.parse(yaml == null ? "" : yaml, config.defaultInterval().toMillis()))
                .chain(groups -> rules.put(tenant, groups).replaceWith(groups));
    }

    /** Adds or replaces (by alert name) a threshold rule in its group; returns the group and the compiled rule. */
    public Uni<Map.Entry<RuleGroup, RuleSpec>> putThreshold(String tenant, ThresholdForm form, String group,
            String interval) {
        return validated(() -> RuleForms.compile(form)).chain(rule -> upsertRule(tenant,
                group == null || group.isBlank() ? "threshold" : group, interval, rule));
    }

    public Uni<Map.Entry<RuleGroup, RuleSpec>> putAnomaly(String tenant, AnomalyForm form, String group,
            String interval) {
        return validated(() -> RuleForms.compile(form)).chain(rule -> upsertRule(tenant,
                group == null || group.isBlank() ? "anomaly" : group, interval, rule));
    }

    private Uni<Map.Entry<RuleGroup, RuleSpec>> upsertRule(String tenant, String groupName, String interval,
            RuleSpec rule) {
        long intervalMs;
        try {
            intervalMs = interval == null || interval.isBlank() ? config.defaultInterval().toMillis()
                    : Durations.parse(interval);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("interval", e.getMessage()));
        }
        if (intervalMs <= 0) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("interval", "must be positive"));
        }
        return rules.get(tenant, groupName).chain(existing -> {
            List<RuleSpec> list = new ArrayList<>();
            existing.ifPresent(g -> g.rules().stream().filter(r -> !rule.name().equals(r.name())).forEach(list::add));
            list.add(rule);
            RuleGroup g = new RuleGroup(groupName, interval == null || interval.isBlank()
                    ? existing.map(RuleGroup::intervalMs).orElse(intervalMs) : intervalMs, list);
            return rules.put(tenant, List.of(g)).replaceWith(Map.entry(g, rule));
        });
    }

    public Uni<List<GroupView>> groups(String tenant) {
        return rules.list(tenant).chain(groups -> states.evaluations(tenant).map(evals -> {
            List<GroupView> out = new ArrayList<>();
            groups.forEach(g -> out.add(new GroupView(g, evals.get(g.name()))));
            return out;
        }));
    }

    public Uni<RuleGroup> group(String tenant, String name) {
        return rules.get(tenant, name).map(g -> g.orElseThrow(() -> AlertingRequestException.notFound("name",
                "no rule group \"" + name + "\"")));
    }

    public Uni<Boolean> deleteGroup(String tenant, String name) {
        return rules.delete(tenant, name);
    }

    /** Validates and stores the routing configuration; returns its receivers' names. */
    public Uni<List<String>> putRoutingConfig(String tenant, String yaml) {
        return Uni.createFrom().item(() -> {
            try {
                RoutingConfig parsed = RoutingConfigParser.parse(yaml == null ? "" : yaml);
                return List.copyOf(parsed.receivers().keySet());
            } catch (RoutingConfigParser.ConfigException e) {
                throw AlertingRequestException.invalid(e.field(), e.getMessage().substring(e.field().length() + 2));
            }
        }).chain(receivers -> routing.putConfig(tenant, yaml).replaceWith(receivers));
    }

    public Uni<Optional<String>> routingConfig(String tenant) {
        return routing.config(tenant);
    }

    public Uni<List<AlertView>> alerts(String tenant) {
        return states.list(tenant).chain(list -> routing.acks(tenant).map(acks -> {
            List<AlertView> out = new ArrayList<>();
            for (StoredAlert s : list) {
                out.add(new AlertView(s, acks.get(s.alert().fingerprint() + "@" + s.alert().activeAtMs())));
            }
            return out;
        }));
    }

    /** Acknowledges the current activation of a pending or firing alert. */
    public Uni<AlertView> acknowledge(String tenant, String fingerprint, String by, String comment) {
        if (by == null || by.isBlank()) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("by", "must name who acknowledges"));
        }
        return alerts(tenant).chain(list -> {
            AlertView target = list.stream().filter(v -> v.stored().alert().fingerprint().equals(fingerprint)
                    && v.stored().alert().state() != AlertState.RESOLVED).findFirst().orElse(null);
            if (target == null) {
                return Uni.createFrom().failure(AlertingRequestException.notFound("fingerprint",
                        "no pending or firing alert " + fingerprint));
            }
            RoutingStore.Ack ack = new RoutingStore.Ack(fingerprint, target.stored().alert().activeAtMs(), by.strip(),
                    clock.nowMs(), comment == null ? "" : comment);
            return routing.acknowledge(tenant, ack).replaceWith(new AlertView(target.stored(), ack));
        });
    }

    public Uni<List<HistoryEntry>> history(String tenant, String rule, AlertState state, long startMs, long endMs,
            int limit) {
        if (limit < 0 || limit > 100_000) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("limit", "must be within 0..100000"));
        }
        return states.history(tenant, rule == null || rule.isEmpty() ? null : rule, state, startMs, endMs,
                limit == 0 ? 1000 : limit);
    }

    public Uni<Silence> createSilence(String tenant, List<LabelMatcher> matchers, long startsAtMs, long endsAtMs,
            String createdBy, String comment) {
        long now = clock.nowMs();
        long start = startsAtMs <= 0 ? now : startsAtMs;
        if (matchers.isEmpty()) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("matchers", "at least one matcher is needed"));
        }
        if (matchers.stream().allMatch(m -> m.matches(""))) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("matchers",
                    "at least one matcher must not match the empty string (the silence would mute everything)"));
        }
        if (endsAtMs <= start) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("ends_at", "must be after starts_at"));
        }
        if (endsAtMs <= now) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("ends_at", "is in the past"));
        }
        if (createdBy == null || createdBy.isBlank()) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("created_by", "must be set"));
        }
        if (comment == null || comment.isBlank()) {
            return Uni.createFrom().failure(AlertingRequestException.invalid("comment", "must be set"));
        }
        return silences.create(tenant, new Silence(null, matchers, start, endsAtMs, createdBy, comment));
    }

    public Uni<List<Silence>> silences(String tenant) {
        return silences.list(tenant);
    }

    public Uni<Silence> expireSilence(String tenant, String id) {
        return silences.expire(tenant, id, clock.nowMs()).map(s -> s.orElseThrow(() -> AlertingRequestException
                .notFound("id", "no silence " + id)));
    }

    public long nowMs() {
        return clock.nowMs();
    }

    private static <T> Uni<T> validated(Supplier<T> parse) {
        try {
            return Uni.createFrom().item(parse.get());
        } catch (RuleValidationException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
