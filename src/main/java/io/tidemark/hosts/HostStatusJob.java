package io.tidemark.hosts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tidemark.ingest.IncomingSeries;
import io.tidemark.ingest.IngestService;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Every {@code tidemark.hosts.check-interval}: hosts without a heartbeat for {@code inactive-after} become inactive,
 * and {@code tidemark_host_up{host, host_id}} (1 active, 0 inactive; decommissioned hosts are left out) is ingested
 * as a sample per host into the host's tenant, so PromQL rules can use it (HostDown: {@code tidemark_host_up == 0}),
 * and exposed on /q/metrics with a tenant tag.
 */
@Singleton
public class HostStatusJob {

    private static final Logger LOG = Logger.getLogger(HostStatusJob.class);
    public static final String UP_METRIC = "tidemark_host_up";

    private record GaugeKey(String tenant, String host) {
    }

    private final HostRegistry registry;
    private final IngestService ingest;
    private final HostsConfig config;
    private final MeterRegistry meters;
    private final Map<GaugeKey, AtomicInteger> upGauges = new ConcurrentHashMap<>();
    private final Map<GaugeKey, Gauge> registered = new ConcurrentHashMap<>();

    public HostStatusJob(HostRegistry registry, IngestService ingest, HostsConfig config, MeterRegistry meters) {
        this.registry = registry;
        this.ingest = ingest;
        this.config = config;
        this.meters = meters;
    }

    @Scheduled(every = "${tidemark.hosts.check-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.jobEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return runOnce(Instant.now()).onFailure().invoke(f -> LOG.warnf("host status pass failed: %s", f))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass as of {@code now}; returns the hosts that turned inactive in it. */
    public Uni<List<Host>> runOnce(Instant now) {
        return registry.markInactive(now.minus(config.inactiveAfter())).invoke(turned -> turned.forEach(h ->
                LOG.warnf("host %s (%s, tenant %s) is inactive: no heartbeat since %s", h.hostname(), h.hostId(),
                        h.tenant(), h.lastSeen())))
                .chain(turned -> registry.monitored().chain(hosts -> publish(hosts, now.toEpochMilli()))
                        .replaceWith(turned));
    }

    private Uni<Void> publish(List<Host> hosts, long nowMs) {
        Map<String, List<IncomingSeries>> byTenant = new HashMap<>();
        Set<GaugeKey> seen = new java.util.HashSet<>();
        for (Host h : hosts) {
            int up = h.status() == HostStatus.ACTIVE ? 1 : 0;
            byTenant.computeIfAbsent(h.tenant(), t -> new ArrayList<>()).add(new IncomingSeries(UP_METRIC,
                    Map.of("host", h.hostname(), "host_id", h.hostId().toString()), new long[] { nowMs },
                    new double[] { up }, "gauge", "", "1 while the host's agent sends heartbeats, 0 when it stopped"));
            GaugeKey key = new GaugeKey(h.tenant(), h.hostname());
            seen.add(key);
            upGauges.computeIfAbsent(key, k -> {
                AtomicInteger value = new AtomicInteger();
                registered.put(k, Gauge.builder("tidemark.host.up", value, AtomicInteger::get)
                        .tag("tenant", k.tenant()).tag("host", k.host())
                        .description("1 while the host sends heartbeats, 0 once inactive").register(meters));
                return value;
            }).set(up);
        }
        for (GaugeKey key : List.copyOf(upGauges.keySet())) {
            if (!seen.contains(key)) { // decommissioned or renamed
                upGauges.remove(key);
                Gauge gauge = registered.remove(key);
                if (gauge != null) {
                    meters.remove(gauge);
                }
            }
        }
        List<Uni<Void>> writes = new ArrayList<>();
        byTenant.forEach((tenant, series) -> writes.add(ingest.ingest(tenant, series).invoke(result -> {
            if (!result.rejections().isEmpty()) {
                LOG.warnf("%s of tenant %s: %d rejected, first %s", UP_METRIC, tenant, result.rejections().size(),
                        result.rejections().get(0));
            }
        }).replaceWithVoid()));
        return writes.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(writes).andFailFast().replaceWithVoid();
    }
}
