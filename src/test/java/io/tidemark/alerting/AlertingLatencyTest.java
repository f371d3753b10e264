package io.tidemark.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.ingest.IncomingSeries;
import io.tidemark.ingest.IngestService;
import io.tidemark.testing.Db;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduled loop as deployed (evaluator ticking every second, outbox worker on, the PromQL engine over stored
 * samples): from a sample crossing the threshold (for: 0), committed through IngestService, to the webhook request
 * received, at most interval + 2 s.
 */
@QuarkusTest
@TestProfile(AlertingLatencyTest.Scheduled.class)
@QuarkusTestResource(TidemarkTestResource.class)
class AlertingLatencyTest {

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidemark.alerting.enabled", "true", "tidemark.alerting.tick", "1s",
                    "tidemark.rollup.enabled", "false");
        }
    }

    @Inject ScriptedRuleQuerier querier;
    @Inject AlertingService service;
    @Inject IngestService ingest;

    private void temperature(String tenant, double value) {
        ingest.ingest(tenant, List.of(IncomingSeries.of("temp", Map.of("room", "server-room"),
                System.currentTimeMillis(), value))).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void firingIsNotifiedWithinTheIntervalPlusTwoSeconds() throws Exception {
        for (String table : List.of("alert_rule_groups", "alert_instances", "alert_notification_groups", "alert_outbox",
                "alert_group_evaluations")) {
            Db.execute("DELETE FROM " + table);
        }
        querier.clear();
        try (HttpReceiver http = new HttpReceiver()) {
            String tenant = "alerting-latency";
            service.putRoutingConfig(tenant, """
                    route: {receiver: hook, group_wait: 0s}
                    receivers: [{name: hook, webhook_configs: [{url: "%s"}]}]
                    """.formatted(http.url("/hook"))).await().atMost(Duration.ofSeconds(10));
            long intervalMs = 3_000;
            service.putRuleFile(tenant, "groups: [{name: fast, interval: 3s, rules: [{alert: Hot, expr: temp > 50}]}]")
                    .await().atMost(Duration.ofSeconds(10));
            temperature(tenant, 20);
            Thread.sleep(4_000); // the group has been evaluated at least once (below the threshold)
            assertTrue(querier.calls.stream().anyMatch(c -> c.expr().equals("temp > 50")), "the loop evaluates the group");
            long crossed = System.currentTimeMillis();
            temperature(tenant, 71); // through IngestService, evaluated by the PromQL engine
            HttpReceiver.Request request = http.next(Duration.ofMillis(intervalMs + 5_000));
            assertNotNull(request, "notified");
            long latency = request.receivedAtMs() - crossed;
            System.out.println("alerting latency: " + latency + " ms (interval " + intervalMs + " ms)");
            assertEquals("firing", request.body().getString("status"));
            assertTrue(latency <= intervalMs + 2_000, "latency " + latency + " ms > interval + 2 s");
        }
    }
}
