package io.tidemark.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the service under test at the real PostgreSQL and Redis of {@link TestServices}. */
public class TidemarkTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "tidemark.db.url", TestServices.postgres().reactiveUrl(TestServices.database()),
                "tidemark.db.username", TestServices.postgres().user(),
                "tidemark.redis.url", "redis://127.0.0.1:" + TestServices.redisPort());
    }

    @Override
    public void stop() {
        // The servers live for the whole test JVM; TestServices stops them at exit.
    }
}
