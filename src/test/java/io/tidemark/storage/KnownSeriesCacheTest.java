package io.tidemark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KnownSeriesCacheTest {

    @Test
    void remembersAndUpdatesEntries() {
        KnownSeriesCache cache = new KnownSeriesCache(1000);
        assertEquals(0, cache.checkOf(42));
        cache.put(42, 7);
        assertEquals(7, cache.checkOf(42));
        cache.put(42, 8);
        assertEquals(8, cache.checkOf(42));
        cache.put(0, 5);
        assertEquals(0, cache.checkOf(0), "id 0 marks an empty way and is never cached");
    }

    @Test
    void staysBoundedAndKeepsMostOfAWorkingSetThatFits() {
        KnownSeriesCache cache = new KnownSeriesCache(100_000);
        assertEquals(131_072, cache.capacity());
        SplittableRandom random = new SplittableRandom(1);
        long[] ids = new long[60_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextLong();
            cache.put(ids[i], ids[i] ^ 1);
        }
        int hits = 0;
        for (long id : ids) {
            long check = cache.checkOf(id);
            if (check != 0) {
                assertEquals(id ^ 1, check, "a cached id always comes with its own check hash");
                hits++;
            }
        }
        assertTrue(hits > 0.97 * ids.length, "hits " + hits);
        for (int i = 0; i < 1_000_000; i++) {
            cache.put(random.nextLong(), 3);
        }
        int stillThere = 0;
        for (long id : ids) {
            stillThere += cache.checkOf(id) != 0 ? 1 : 0;
        }
        assertTrue(stillThere < ids.length / 10, "old entries are evicted: " + stillThere);
    }
}
