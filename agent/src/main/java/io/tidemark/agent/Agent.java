package io.tidemark.agent;

import io.tidemark.agent.config.AgentConfig;
import io.tidemark.agent.host.Collector;
import io.tidemark.agent.host.CpuCollector;
import io.tidemark.agent.host.DiskCollector;
import io.tidemark.agent.host.FilesystemCollector;
import io.tidemark.agent.host.LoadCollector;
import io.tidemark.agent.host.MemoryCollector;
import io.tidemark.agent.host.NetworkCollector;
import io.tidemark.agent.host.ProcFs;
import io.tidemark.agent.host.StatCommand;
import io.tidemark.agent.host.SystemCollector;
import io.tidemark.agent.scrape.Scraper;
import io.tidemark.agent.self.AgentStats;
import io.tidemark.agent.self.SelfMetricsServer;
import io.tidemark.agent.ship.Batcher;
import io.tidemark.agent.ship.DiskBuffer;
import io.tidemark.agent.ship.Endpoints;
import io.tidemark.agent.ship.Heartbeater;
import io.tidemark.agent.ship.Shipper;
import io.tidemark.agent.statsd.StatsdAggregator;
import io.tidemark.agent.statsd.StatsdListener;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** The running agent: collectors on their intervals, the batcher, the disk buffer, the shipper and heartbeats. */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    private final AgentConfig config;
    private final AgentStats stats = new AgentStats();
    private final ScheduledExecutorService scheduler;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final DiskBuffer buffer;
    private final Heartbeater.Identity identity;
    private Endpoints endpoints;
    private Shipper shipper;
    private Batcher batcher;
    private StatsdListener statsd;
    private SelfMetricsServer selfServer;

    public Agent(AgentConfig config) throws IOException {
        this.config = config;
        this.buffer = new DiskBuffer(config.buffering().diskPath(), config.buffering().maxSize(),
                config.buffering().maxBytes());
        this.identity = identity(config, buffer.directory());
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread t = new Thread(runnable, "collect");
            t.setDaemon(true);
            return t;
        });
    }

    public static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    public Agent start() throws IOException {
        stats.bufferGauges(buffer::batches, buffer::bytes, buffer::samples);
        endpoints = new Endpoints(config.primary(), config.backup(), config.tenant(), config.apiKey());
        shipper = new Shipper(buffer, endpoints, config.shipping(), stats).start();
        Map<String, String> globalLabels = new LinkedHashMap<>();
        globalLabels.put("host", identity.hostname());
        if (config.host().labelSeries()) {
            globalLabels.putAll(config.host().labels());
        }
        batcher = new Batcher(buffer, shipper, stats, config.batchSize(), globalLabels);
        LOG.info("tidemark-agent " + version() + " host " + identity.hostname() + " (" + identity.hostId() + ", "
                + identity.ip() + ") shipping to " + config.primary()
                + (config.backup() == null ? "" : ", backup " + config.backup()) + "; " + buffer.batches()
                + " batches waiting in " + buffer.directory());

        AgentConfig.SystemCollectors system = config.system();
        ProcFs fs = new ProcFs(system.procPath(), system.sysPath());
        schedule(new CpuCollector(fs), system.cpu());
        schedule(new LoadCollector(fs), system.load());
        schedule(new MemoryCollector(fs), system.memory());
        schedule(new FilesystemCollector(fs, new StatCommand()), system.filesystem());
        schedule(new DiskCollector(fs), system.disk());
        schedule(new NetworkCollector(fs), system.network());
        schedule(new SystemCollector(fs), system.system());

        if (!config.scrapeTargets().isEmpty()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            for (AgentConfig.ScrapeTarget target : config.scrapeTargets()) {
                schedule(new Scraper(target, http), target.interval());
            }
        }

        AgentConfig.Statsd statsdConfig = config.statsd();
        if (statsdConfig.enabled()) {
            StatsdAggregator aggregator = new StatsdAggregator(statsdConfig.maxSeries(), Duration.ofMinutes(5).toMillis(),
                    statsdConfig.quantiles());
            statsd = new StatsdListener(statsdConfig.bindAddress(), statsdConfig.port(), aggregator, stats).start();
            closeables.add(statsd);
            long flushMs = statsdConfig.flushInterval().toMillis();
            scheduler.scheduleAtFixedRate(() -> emit("statsd", aggregator.flush(System.currentTimeMillis())), flushMs,
                    flushMs, TimeUnit.MILLISECONDS);
            LOG.info("statsd listening on udp " + statsdConfig.bindAddress() + ":" + statsd.port());
        }

        if (config.selfMetrics().serve()) {
            selfServer = new SelfMetricsServer(config.selfMetrics().listenHost(), config.selfMetrics().listenPort(), stats);
            closeables.add(selfServer);
            LOG.info("own metrics on http://" + config.selfMetrics().listenHost() + ":" + selfServer.port() + "/metrics");
        }
        long selfMs = config.selfMetrics().interval().toMillis();
        scheduler.scheduleAtFixedRate(() -> batcher.add(stats.points(System.currentTimeMillis())), selfMs, selfMs,
                TimeUnit.MILLISECONDS);

        long flushMs = config.interval().toMillis();
        scheduler.scheduleAtFixedRate(this::flushSafely, flushMs, flushMs, TimeUnit.MILLISECONDS);

        Heartbeater heartbeater = new Heartbeater(identity, endpoints, buffer, stats);
        long heartbeatMs = config.host().heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(heartbeater, 0, heartbeatMs, TimeUnit.MILLISECONDS);
        return this;
    }

    private void flushSafely() {
        try {
            batcher.flush();
        } catch (RuntimeException e) {
            LOG.warning("flush failed: " + e);
        }
    }

    private void schedule(Collector collector, Duration interval) {
        if (interval == null) {
            return;
        }
        long ms = interval.toMillis();
        long jitter = ThreadLocalRandom.current().nextLong(Math.min(ms, 1000));
        String[] lastError = { "" };
        scheduler.scheduleAtFixedRate(() -> {
            try {
                emit(collector.name(), collector.collect(System.currentTimeMillis()));
                lastError[0] = "";
            } catch (IOException | RuntimeException e) {
                stats.collectErrors.increment();
                if (!String.valueOf(e.getMessage()).equals(lastError[0])) {
                    LOG.warning(collector.name() + " collector failed: " + e);
                    lastError[0] = String.valueOf(e.getMessage());
                }
            }
        }, jitter, ms, TimeUnit.MILLISECONDS);
    }

    private void emit(String source, List<Point> points) {
        stats.collected(source, points.size());
        batcher.add(points);
    }

    public AgentStats stats() {
        return stats;
    }

    public DiskBuffer buffer() {
        return buffer;
    }

    public Heartbeater.Identity identity() {
        return identity;
    }

    public int statsdPort() {
        return statsd == null ? 0 : statsd.port();
    }

    public int selfMetricsPort() {
        return selfServer == null ? 0 : selfServer.port();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (batcher != null) {
            batcher.flush(); // pending points go to disk: shipped after the next start
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.fine("close: " + e);
            }
        }
        try {
            if (shipper != null) {
                shipper.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (endpoints != null) {
            endpoints.close();
        }
    }

    // ---- host identity

    static Heartbeater.Identity identity(AgentConfig config, Path bufferDir) throws IOException {
        String id = config.host().id();
        if (id.isEmpty()) {
            Path file = bufferDir.resolve("host-id");
            if (Files.exists(file)) {
                id = Files.readString(file).trim();
            } else {
                id = UUID.randomUUID().toString();
                Path tmp = bufferDir.resolve("host-id.tmp");
                Files.writeString(tmp, id + "\n");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        String hostname = config.host().hostname().isEmpty() ? hostname(config.system().procPath())
                : config.host().hostname();
        String ip = config.host().ip().isEmpty() ? primaryAddress() : config.host().ip();
        return new Heartbeater.Identity(id, hostname, ip, version(), config.host().labels());
    }

    private static String hostname(Path proc) {
        try {
            String name = Files.readString(proc.resolve("sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException ignored) {
            // not Linux, or no /proc
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The first IPv4 address of an interface that is up and not loopback (else an IPv6 one, else empty). */
    private static String primaryAddress() {
        String v6 = "";
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address.isLinkLocalAddress()) {
                        continue;
                    }
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                    if (v6.isEmpty()) {
                        v6 = address.getHostAddress().replaceAll("%.*$", "");
                    }
                }
            }
        } catch (IOException ignored) {
            // no interfaces to read
        }
        return v6;
    }
}
