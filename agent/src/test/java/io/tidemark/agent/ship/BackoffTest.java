package io.tidemark.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromOneSecondToSixtyWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        long[] expectedBase = { 1000, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000 };
        for (int failures = 0; failures < expectedBase.length; failures++) {
            assertEquals(expectedBase[failures], backoff.baseMs(failures), "base after " + failures + " failures");
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long delay = backoff.delayMs(5);
            assertTrue(delay >= 8000 && delay <= 16000, "delay " + delay);
            seen.add(delay);
        }
        assertTrue(seen.size() > 100, "jittered: " + seen.size() + " distinct delays");
        assertEquals(60000, backoff.baseMs(1000), "no overflow after many failures");
    }
}
