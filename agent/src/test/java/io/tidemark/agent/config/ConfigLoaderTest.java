package io.tidemark.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final ConfigLoader LOADER = new ConfigLoader(Map.of("METRICS_API_KEY", "s3cret")::get);

    /** The design notes' agent.yaml, as written there. */
    private static final String SEED = """
            collection:
              interval: 10s
              batch_size: 100

            endpoints:
              primary: https://metrics.company.com
              backup: https://metrics-backup.company.com

            metrics:
              system:
                enabled: true
                cpu: true
                memory: true
                disk: true
                network: true

              applications:
                - type: http
                  url: http://localhost:8080/metrics
                  interval: 30s
                - type: statsd
                  port: 8125

            buffering:
              max_size: 10000
              disk_path: /var/metrics/buffer

            auth:
              api_key: ${METRICS_API_KEY}
            """;

    @Test
    void theSeedShapeIsAccepted() throws Exception {
        AgentConfig c = LOADER.parse(SEED);
        assertEquals(Duration.ofSeconds(10), c.interval());
        assertEquals(100, c.batchSize());
        assertEquals(new AgentConfig.Endpoint("metrics.company.com", 443, true), c.primary());
        assertEquals("metrics-backup.company.com", c.backup().host());
        assertEquals(Duration.ofSeconds(10), c.system().cpu());
        assertEquals(Duration.ofSeconds(60), c.system().filesystem(), "filesystems default to 60s");
        assertEquals(1, c.scrapeTargets().size());
        assertEquals(Duration.ofSeconds(30), c.scrapeTargets().get(0).interval());
        assertEquals(Duration.ofSeconds(10), c.scrapeTargets().get(0).timeout());
        assertEquals(8125, c.statsd().port());
        assertEquals(10_000, c.buffering().maxSize());
        assertEquals(Path.of("/var/metrics/buffer"), c.buffering().diskPath());
        assertEquals("s3cret", c.apiKey());
    }

    @Test
    void anEmptyFileGivesEveryDefault() throws Exception {
        AgentConfig c = LOADER.parse("");
        assertEquals(Duration.ofSeconds(10), c.interval());
        assertEquals(1000, c.batchSize());
        assertEquals(new AgentConfig.Endpoint("127.0.0.1", 9000, false), c.primary());
        assertNull(c.backup());
        assertEquals("", c.apiKey());
        assertEquals(Duration.ofSeconds(30), c.host().heartbeatInterval());
        assertTrue(c.scrapeTargets().isEmpty());
        assertTrue(!c.statsd().enabled());
        assertEquals(256L << 20, c.buffering().maxBytes());
        assertEquals(Duration.ofSeconds(1), c.shipping().backoffMin());
        assertEquals(Duration.ofSeconds(60), c.shipping().backoffMax());
        assertEquals(9465, c.selfMetrics().listenPort());
    }

    @Test
    void collectorsTakeTheirOwnIntervals() throws Exception {
        AgentConfig c = LOADER.parse("""
                metrics:
                  system:
                    interval: 10s
                    cpu: 1s
                    filesystem: 60s
                    network: false
                host:
                  labels: {environment: prod, datacenter: eu-west}
                """);
        assertEquals(Duration.ofSeconds(1), c.system().cpu());
        assertEquals(Duration.ofSeconds(10), c.system().memory());
        assertEquals(Duration.ofSeconds(60), c.system().filesystem());
        assertNull(c.system().network());
        assertEquals(Map.of("environment", "prod", "datacenter", "eu-west"), c.host().labels());
    }

    @Test
    void everyErrorNamesItsKey() {
        assertKey("collection.interval", "collection: {interval: 10 seconds}");
        assertKey("collection.batch_size", "collection: {batch_size: 0}");
        assertKey("collection.intervall", "collection: {intervall: 10s}");
        assertKey("endpoints.primary", "endpoints: {primary: 'ftp://x'}");
        assertKey("metrics.system.cpu", "metrics: {system: {cpu: sometimes}}");
        assertKey("metrics.applications[1].url", "metrics: {applications: [{type: statsd}, {type: http}]}");
        assertKey("metrics.applications[0].type", "metrics: {applications: [{type: snmp}]}");
        assertKey("metrics.applications[0].port", "metrics: {applications: [{type: statsd, port: 70000}]}");
        assertKey("buffering.max_size", "buffering: {max_size: -1}");
        assertKey("buffering.max_bytes", "buffering: {max_bytes: 12 parsecs}");
        assertKey("auth.api_key", "auth: {api_key: '${NOT_SET_ANYWHERE}'}");
        assertKey("host.labels.bad-name", "host: {labels: {bad-name: x}}");
        assertKey("host.id", "host: {id: web-1}");
        assertKey("host.labels.environment", "host: {labels: {environment: " + "x".repeat(51) + "}}");
        assertKey("shipping.backoff_max", "shipping: {backoff_min: 10s, backoff_max: 1s}");
        assertKey("self_metrics.listen", "self_metrics: {listen: 'localhost:http'}");
        assertKey("tenant", "tenant: 'a b'");
        assertKey("(file)", "collection: [unclosed");
    }

    @Test
    void environmentDefaultsApply() throws Exception {
        assertEquals("", LOADER.parse("auth: {api_key: '${NOT_SET_ANYWHERE:-}'}").apiKey());
        assertEquals(List.of(), LOADER.parse("metrics: {applications: []}").scrapeTargets());
    }

    private static void assertKey(String key, String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> LOADER.parse(yaml), yaml);
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    }
}
