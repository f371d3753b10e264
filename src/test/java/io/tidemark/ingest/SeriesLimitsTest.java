package io.tidemark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.storage.SeriesCounts;
import io.tidemark.storage.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesLimitsTest {

    private final SeriesLimits limits = new SeriesLimits(8, 5);

    private static List<SeriesKey> series(String tenant, String metric, int from, int to) {
        List<SeriesKey> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add(SeriesKey.of(tenant, metric, Map.of("host", "h" + i)));
        }
        return keys;
    }

    private static SeriesCounts counts(SeriesCounts.Count... counts) {
        SeriesCounts c = new SeriesCounts();
        c.replaceWith(List.of(counts));
        return c;
    }

    @Test
    void newSeriesBelowBothLimitsFit() {
        assertTrue(limits.refusals("t", series("t", "m", 0, 5), new SeriesCounts()).isEmpty());
        assertTrue(limits.refusals("t", List.of(), counts(new SeriesCounts.Count("t", "m", 100))).isEmpty(),
                "a batch without new series is never refused");
    }

    @Test
    void theMetricLimitRefusesTheSeriesThatDoNotFitInBatchOrder() {
        List<SeriesKey> keys = series("t", "m", 0, 4);
        Map<Long, String> refused = limits.refusals("t", keys, counts(new SeriesCounts.Count("t", "m", 2)));
        assertEquals(List.of(keys.get(3).id()), List.copyOf(refused.keySet()), "2 stored + 3 admitted = 5; the 4th is over");
        assertEquals("series limit reached: metric \"m\" of tenant \"t\" has 5 series (limit 5,"
                + " tidemark.ingest.max-series-per-metric)", refused.get(keys.get(3).id()));
    }

    @Test
    void theTenantLimitCountsEveryMetricAndIsCheckedFirst() {
        SeriesCounts counts = counts(new SeriesCounts.Count("t", "a", 5), new SeriesCounts.Count("t", "b", 2));
        List<SeriesKey> keys = new ArrayList<>(series("t", "c", 0, 1));
        keys.addAll(series("t", "a", 10, 11));
        keys.addAll(series("t", "c", 1, 2));
        Map<Long, String> refused = limits.refusals("t", keys, counts);
        assertEquals(List.of(keys.get(1).id(), keys.get(2).id()), List.copyOf(refused.keySet()));
        assertEquals("series limit reached: tenant \"t\" has 8 series (limit 8, tidemark.ingest.max-series-per-tenant)",
                refused.get(keys.get(1).id()), "both limits are reached; the tenant's is named");
        assertTrue(refused.get(keys.get(2).id()).contains("tidemark.ingest.max-series-per-tenant"));
    }

    @Test
    void otherTenantsDoNotCount() {
        SeriesCounts counts = counts(new SeriesCounts.Count("other", "m", 1000));
        assertTrue(limits.refusals("t", series("t", "m", 0, 5), counts).isEmpty());
    }

    @Test
    void aCountAboveTheLimitAfterAnOvershootIsReportedAsItIs() {
        List<SeriesKey> keys = series("t", "m", 0, 1);
        String reason = limits.refusals("t", keys, counts(new SeriesCounts.Count("t", "m", 6))).get(keys.get(0).id());
        assertEquals("series limit reached: metric \"m\" of tenant \"t\" has 6 series (limit 5,"
                + " tidemark.ingest.max-series-per-metric)", reason);
    }
}
