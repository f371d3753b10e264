package io.tidemark.alerting;

import static io.tidemark.alerting.ScriptedRuleQuerier.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.testing.Db;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduled loop as deployed (evaluator ticking every second, outbox worker on): from the moment the rule's
 * expression starts returning a sample (for: 0) to the webhook request received, at most interval + 2 s.
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
            Thread.sleep(4_000); // the group has been evaluated (empty) at least once: we land mid-interval
            assertTrue(querier.calls.stream().anyMatch(c -> c.expr().equals("temp > 50")), "the loop evaluates the group");
            long crossed = System.currentTimeMillis();
            querier.answer("temp > 50", List.of(sample(71, "__name__", "temp", "room", "server-room")));
            HttpReceiver.Request request = http.next(Duration.ofMillis(intervalMs + 5_000));
            assertNotNull(request, "notified");
            long latency = request.receivedAtMs() - crossed;
            System.out.println("alerting latency: " + latency + " ms (interval " + intervalMs + " ms)");
            assertEquals("firing", request.body().getString("status"));
            assertTrue(latency <= intervalMs + 2_000, "latency " + latency + " ms > interval + 2 s");
        }
    }
}
