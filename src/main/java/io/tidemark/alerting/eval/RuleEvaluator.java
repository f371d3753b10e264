package io.tidemark.alerting.eval;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.AlertingClock;
import io.tidemark.alerting.AlertingConfig;
import io.tidemark.alerting.lease.EvaluatorLease;
import io.tidemark.alerting.notify.NotificationRenderer;
import io.tidemark.alerting.notify.OutboxMessage;
import io.tidemark.alerting.outbox.OutboxStore;
import io.tidemark.alerting.outbox.OutboxWorker;
import io.tidemark.alerting.route.Dispatcher;
import io.tidemark.alerting.route.GroupState;
import io.tidemark.alerting.route.Notification;
import io.tidemark.alerting.route.RoutedAlert;
import io.tidemark.alerting.route.RoutingConfig;
import io.tidemark.alerting.route.RoutingConfigParser;
import io.tidemark.alerting.route.RoutingStore;
import io.tidemark.alerting.rules.RuleGroup;
import io.tidemark.alerting.rules.RuleSpec;
import io.tidemark.alerting.rules.RuleStore;
import io.tidemark.alerting.silence.Silence;
import io.tidemark.alerting.silence.SilenceStore;
import io.tidemark.alerting.state.ActiveAlert;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.AlertStateStore;
import io.tidemark.alerting.state.GroupEvaluation;
import io.tidemark.alerting.state.HistoryEntry;
import io.tidemark.alerting.state.RuleStateMachine;
import io.tidemark.alerting.state.StoredAlert;
import io.tidemark.alerting.state.Transition;
import io.tidemark.ingest.IncomingSeries;
import io.tidemark.ingest.IngestService;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The rule evaluator and dispatcher. Every tick the replica holding the lease evaluates the rule groups that are due
 * (each on its own interval), writes each group's alert states and history in one fenced transaction, then runs the
 * dispatcher per tenant and writes notification group states and outbox rows in one fenced transaction. A replica
 * that takes the lease first loads the stored states, so nothing firing is lost or notified twice.
 */
@Singleton
public class RuleEvaluator {

    private static final Logger LOG = Logger.getLogger(RuleEvaluator.class);
    public static final String LEASE_NAME = "rule-evaluator";

    private final AlertingConfig config;
    private final AlertingClock clock;
    private final RuleStore rules;
    private final AlertStateStore states;
    private final RoutingStore routing;
    private final SilenceStore silences;
    private final OutboxStore outbox;
    private final OutboxWorker outboxWorker;
    private final RuleQuerier querier;
    private final IngestService ingest;
    private final MeterRegistry meters;
    private final Pool pool;
    private final EvaluatorLease lease;

    /** tenant\0group -> rule name -> fingerprint -> alert; only meaningful while {@link #loaded}. */
    private final Map<String, Map<String, Map<String, ActiveAlert>>> alerts = new HashMap<>();
    private final Map<String, List<String>> channelsByRule = new HashMap<>();
    private final Map<String, Long> lastEval = new HashMap<>();
    private final Map<String, RoutingConfig> parsedConfigs = new ConcurrentHashMap<>();
    private boolean loaded;
    /** Tenants whose last dispatch had no alert and no notification group (skipped until an alert fires). */
    private final Set<String> quietTenants = new java.util.HashSet<>();
    /** The receivers last found missing per tenant, so the warning is logged once per change, not every tick. */
    private final Map<String, Set<String>> unknownReceivers = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

    public RuleEvaluator(AlertingConfig config, AlertingClock clock, RuleStore rules, AlertStateStore states,
            RoutingStore routing, SilenceStore silences, OutboxStore outbox, OutboxWorker outboxWorker,
            RuleQuerier querier, IngestService ingest, MeterRegistry meters, Pool pool) {
        this.config = config;
        this.clock = clock;
        this.rules = rules;
        this.states = states;
        this.routing = routing;
        this.silences = silences;
        this.outbox = outbox;
        this.outboxWorker = outboxWorker;
        this.querier = querier;
        this.ingest = ingest;
        this.meters = meters;
        this.pool = pool;
        this.lease = new EvaluatorLease(pool, LEASE_NAME, config.instanceId().orElse(UUID.randomUUID().toString()),
                config.leaseTtl());
    }

    public EvaluatorLease lease() {
        return lease;
    }

    @Scheduled(every = "${tidemark.alerting.tick:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = EvaluatorDisabled.class)
    Uni<Void> scheduled() {
        return tick().replaceWithVoid();
    }

    /** One pass as of the clock's now; true when this replica held the lease. */
    public Uni<Boolean> tick() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(false);
        }
        long now = clock.nowMs();
        return lease.acquire().chain(held -> {
            if (!held) {
                forget();
                return Uni.createFrom().item(false);
            }
            return (loaded ? Uni.createFrom().voidItem() : load())
                    .chain(() -> evaluateDue(now))
                    .chain(() -> dispatch(now))
                    .replaceWith(true);
        }).onFailure().invoke(f -> {
            LOG.warnf("alerting tick failed: %s", f.toString());
            forget(); // reload from PostgreSQL next time: memory may be ahead of what was committed
        }).onFailure().recoverWithItem(false).eventually(() -> running.set(false));
    }

    /** Drops what this replica holds in memory; the next tick reloads it from PostgreSQL (as after a restart). */
    public void reset() {
        forget();
    }

    private void forget() {
        loaded = false;
        quietTenants.clear();
        alerts.clear();
        lastEval.clear();
    }

    private Uni<Void> load() {
        return states.loadAll().chain(stored -> states.lastEvaluations().invoke(evals -> {
            alerts.clear();
            for (StoredAlert s : stored) {
                alerts.computeIfAbsent(key(s.tenant(), s.ruleGroup()), k -> new HashMap<>())
                        .computeIfAbsent(s.rule(), k -> new LinkedHashMap<>()).put(s.alert().fingerprint(), s.alert());
                channelsByRule.put(key(s.tenant(), s.ruleGroup()) + "\u0000" + s.rule(), s.channels());
            }
            lastEval.clear();
            lastEval.putAll(evals);
            loaded = true;
            LOG.infof("rule evaluator lease taken by %s: %d alerts loaded", lease.holder(), stored.size());
        })).replaceWithVoid();
    }

    private Uni<Void> evaluateDue(long now) {
        return rules.all().chain(groups -> {
            Set<String> present = new java.util.HashSet<>();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (RuleStore.TenantGroup tg : groups) {
                String key = key(tg.tenant(), tg.group().name());
                present.add(key);
                Long last = lastEval.get(key);
                if (last == null || now >= last + tg.group().intervalMs() || now < last) {
                    chain = chain.chain(() -> evaluateGroup(tg.tenant(), tg.group(), now));
                }
            }
            return chain.invoke(() -> {
                alerts.keySet().retainAll(present);
                lastEval.keySet().retainAll(present);
            });
        });
    }

    /** Evaluates a group's rules in order and commits its states; a failing rule keeps its previous states. */
    public Uni<Void> evaluateGroup(String tenant, RuleGroup group, long now) {
        String key = key(tenant, group.name());
        Map<String, Map<String, ActiveAlert>> previous = alerts.getOrDefault(key, Map.of());
        Map<String, Map<String, ActiveAlert>> next = new LinkedHashMap<>();
        List<HistoryEntry> history = new ArrayList<>();
        Map<String, GroupEvaluation.RuleHealth> health = new TreeMap<>();
        long started = System.nanoTime();
        Counter failed = failures(tenant, group.name()); // registered before the first failure, so it reads 0
        Timer.Sample sample = Timer.start(meters);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RuleSpec rule : group.rules()) {
            chain = chain.chain(() -> {
                long ruleStart = System.nanoTime();
                return querier.instant(tenant, rule.expr(), Instant.ofEpochMilli(now))
                        .chain(samples -> apply(tenant, group, rule, samples, previous, next, history, now))
                        .invoke(() -> health.put(rule.name(), new GroupEvaluation.RuleHealth("ok", "",
                                (System.nanoTime() - ruleStart) / 1e9)))
                        .onFailure().recoverWithUni(f -> {
                            failed.increment();
                            health.put(rule.name(), new GroupEvaluation.RuleHealth("err", String.valueOf(
                                    f.getMessage()), (System.nanoTime() - ruleStart) / 1e9));
                            if (rule.isAlerting()) {
                                next.put(rule.name(), previous.getOrDefault(rule.name(), Map.of()));
                            }
                            return Uni.createFrom().voidItem();
                        });
            });
        }
        return chain.chain(() -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            sample.stop(meters.timer("tidemark_alerting_group_evaluation", "tenant", tenant, "group", group.name()));
            List<StoredAlert> stored = new ArrayList<>();
            next.forEach((rule, byFp) -> byFp.values().forEach(a -> stored.add(new StoredAlert(tenant, group.name(),
                    rule, a, channelsByRule.getOrDefault(key + "\u0000" + rule, List.of())))));
            return states.saveGroup(tenant, group.name(), new GroupEvaluation(now, seconds, health), stored, history,
                    lease::fence).invoke(() -> {
                        alerts.put(key, next);
                        lastEval.put(key, now);
                    });
        });
    }

    private Uni<Void> apply(String tenant, RuleGroup group, RuleSpec rule, List<AlertSample> samples,
            Map<String, Map<String, ActiveAlert>> previous, Map<String, Map<String, ActiveAlert>> next,
            List<HistoryEntry> history, long now) {
        if (!rule.isAlerting()) {
            return record(tenant, rule, samples, now);
        }
        RuleStateMachine.Evaluation e = RuleStateMachine.evaluate(rule, previous.getOrDefault(rule.name(), Map.of()),
                samples, now);
        next.put(rule.name(), e.alerts());
        channelsByRule.put(key(tenant, group.name()) + "\u0000" + rule.name(), rule.channels());
        for (Transition t : e.transitions()) {
            history.add(new HistoryEntry(t.fingerprint(), group.name(), rule.name(), t.labels(), t.to(), t.value(),
                    t.atMs()));
        }
        return Uni.createFrom().voidItem();
    }

    /** A recording rule's result, stored as samples of the recorded metric through ingest. */
    private Uni<Void> record(String tenant, RuleSpec rule, List<AlertSample> samples, long now) {
        if (samples.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<IncomingSeries> series = new ArrayList<>();
        for (AlertSample s : samples) {
            Map<String, String> labels = new TreeMap<>(s.labels());
            labels.remove("__name__");
            labels.putAll(rule.labels());
            series.add(IncomingSeries.of(rule.record(), labels, now, s.value()));
        }
        return ingest.ingest(tenant, series).invoke(result -> {
            if (!result.rejections().isEmpty()) {
                throw new IllegalStateException("recorded samples rejected: " + result.rejections().get(0));
            }
        }).replaceWithVoid();
    }

    private Uni<Void> dispatch(long now) {
        Set<String> tenants = new LinkedHashSet<>();
        alerts.keySet().forEach(k -> tenants.add(k.substring(0, k.indexOf('\u0000'))));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String tenant : tenants) {
            chain = chain.chain(() -> dispatchTenant(tenant, now));
        }
        return chain;
    }

    private Uni<Void> dispatchTenant(String tenant, long now) {
        if (quietTenants.contains(tenant) && !hasRoutableAlerts(tenant)) {
            return Uni.createFrom().voidItem(); // no alert to route and no notification group left: nothing to do
        }
        return routing.config(tenant).chain(yaml -> silences.current(tenant, now).chain(active -> routing.acks(tenant)
                .chain(acks -> routing.groups(tenant).chain(groups -> {
                    RoutingConfig cfg = yaml.map(y -> parsedConfigs.computeIfAbsent(y, RoutingConfigParser::parse))
                            .orElse(RoutingConfig.EMPTY);
                    List<RoutedAlert> routed = routedAlerts(tenant, acks);
                    Dispatcher.Plan plan = Dispatcher.plan(now, cfg, routed, active, groups);
                    Set<String> unknown = plan.unknownReceivers();
                    if (!unknown.equals(unknownReceivers.getOrDefault(tenant, Set.of()))) {
                        unknownReceivers.put(tenant, unknown);
                        if (!unknown.isEmpty()) {
                            LOG.warnf("tenant %s: alerts name receivers the routing config lacks: %s", tenant, unknown);
                        }
                    }
                    List<OutboxMessage> messages = new ArrayList<>();
                    for (Notification n : plan.notifications()) {
                        messages.addAll(NotificationRenderer.render(tenant, n, cfg.receivers().get(n.receiver()),
                                config.externalUrl()));
                    }
                    if (routed.isEmpty() && plan.groups().isEmpty()) {
                        quietTenants.add(tenant);
                    } else {
                        quietTenants.remove(tenant);
                    }
                    if (messages.isEmpty() && sameStates(groups, plan)) {
                        return Uni.createFrom().voidItem();
                    }
                    return pool.withTransaction(conn -> lease.fence(conn)
                            .chain(() -> routing.saveGroups(conn, tenant, groups, plan.groups(), plan.removedGroups()))
                            .chain(() -> outbox.insert(conn, tenant, messages, now)))
                            .invoke(() -> {
                                if (!messages.isEmpty()) {
                                    outboxWorker.wake();
                                }
                            });
                }))));
    }

    private static boolean sameStates(Map<String, GroupState> before, Dispatcher.Plan plan) {
        return plan.removedGroups().isEmpty() && before.equals(plan.groups());
    }

    private boolean hasRoutableAlerts(String tenant) {
        String prefix = tenant + "\u0000";
        for (Map.Entry<String, Map<String, Map<String, ActiveAlert>>> g : alerts.entrySet()) {
            if (g.getKey().startsWith(prefix)) {
                for (Map<String, ActiveAlert> byFp : g.getValue().values()) {
                    for (ActiveAlert a : byFp.values()) {
                        if (a.state() == AlertState.FIRING || a.state() == AlertState.RESOLVED) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private List<RoutedAlert> routedAlerts(String tenant, Map<String, RoutingStore.Ack> acks) {
        List<RoutedAlert> out = new ArrayList<>();
        String prefix = tenant + "\u0000";
        for (Map.Entry<String, Map<String, Map<String, ActiveAlert>>> g : alerts.entrySet()) {
            if (!g.getKey().startsWith(prefix)) {
                continue;
            }
            String group = g.getKey().substring(prefix.length());
            for (Map.Entry<String, Map<String, ActiveAlert>> r : g.getValue().entrySet()) {
                List<String> channels = channelsByRule.getOrDefault(g.getKey() + "\u0000" + r.getKey(), List.of());
                for (ActiveAlert a : r.getValue().values()) {
                    if (a.state() != AlertState.FIRING && a.state() != AlertState.RESOLVED) {
                        continue;
                    }
                    RoutingStore.Ack ack = acks.get(a.fingerprint() + "@" + a.activeAtMs());
                    out.add(new RoutedAlert(a.fingerprint(), group, r.getKey(), a.labels(), a.annotations(), a.state(),
                            a.value(), a.firedAtMs(), a.resolvedAtMs(), channels, ack == null ? null : ack.by(),
                            ack == null ? 0 : ack.atMs()));
                }
            }
        }
        return out;
    }

    private Counter failures(String tenant, String group) {
        return meters.counter("tidemark_alerting_group_evaluation_failures", "tenant", tenant, "group", group);
    }

    private static String key(String tenant, String group) {
        return tenant + "\u0000" + group;
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            lease.release().await().atMost(java.time.Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("lease release at shutdown failed: %s", e.toString());
        }
    }

    /** Skips the scheduled tick when {@code tidemark.alerting.enabled} is false (tests tick by hand). */
    @Singleton
    public static class EvaluatorDisabled implements Scheduled.SkipPredicate {
        private final AlertingConfig config;

        public EvaluatorDisabled(AlertingConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.enabled();
        }
    }
}
