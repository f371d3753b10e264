package io.tidemark.alerting;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Alerting driven by the test: no scheduled evaluator or outbox worker, short lease, claim and backoff. */
public class AlertingTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tidemark.alerting.enabled", "false", "tidemark.alerting.outbox-enabled", "false",
                "tidemark.alerting.lease-ttl", "2s", "tidemark.alerting.outbox-claim", "2s",
                "tidemark.alerting.outbox-backoff", "100ms", "tidemark.alerting.outbox-backoff-max", "400ms",
                "tidemark.rollup.enabled", "false");
    }
}
