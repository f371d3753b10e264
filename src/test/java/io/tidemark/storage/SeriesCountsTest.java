package io.tidemark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeriesCountsTest {

    @Test
    void countsPerTenantAndPerMetric() {
        SeriesCounts counts = new SeriesCounts();
        assertEquals(0, counts.ofTenant("t"));
        assertEquals(0, counts.ofMetric("t", "m"));
        counts.added("t", "m");
        counts.added("t", "m");
        counts.added("t", "n");
        counts.added("u", "m");
        assertEquals(3, counts.ofTenant("t"));
        assertEquals(2, counts.ofMetric("t", "m"));
        assertEquals(1, counts.ofMetric("t", "n"));
        assertEquals(1, counts.ofTenant("u"));
        assertEquals(0, counts.ofMetric("u", "n"));
    }

    @Test
    void aRefreshReplacesEveryCountIncludingOnesItDoesNotList() {
        SeriesCounts counts = new SeriesCounts();
        counts.added("t", "m");
        counts.added("gone", "m");
        counts.replaceWith(List.of(new SeriesCounts.Count("t", "m", 7), new SeriesCounts.Count("t", "n", 3)));
        assertEquals(10, counts.ofTenant("t"));
        assertEquals(7, counts.ofMetric("t", "m"));
        assertEquals(3, counts.ofMetric("t", "n"));
        assertEquals(0, counts.ofTenant("gone"), "a tenant the count does not list has no series");
        counts.added("t", "n");
        assertEquals(11, counts.ofTenant("t"));
        assertEquals(4, counts.ofMetric("t", "n"));
    }

    @Test
    void concurrentAdditionsAreAllCounted() throws InterruptedException {
        SeriesCounts counts = new SeriesCounts();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int thread = 0; thread < 4; thread++) {
            int t = thread;
            pool.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    counts.added("t", "m" + (i % 10));
                    counts.added("t" + t, "m");
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        assertEquals(40_000, counts.ofTenant("t"));
        assertEquals(4_000, counts.ofMetric("t", "m3"));
        assertEquals(10_000, counts.ofTenant("t2"));
    }
}
