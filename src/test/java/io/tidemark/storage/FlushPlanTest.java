package io.tidemark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order of a flush's rows: grouped by metric, by series id within a metric, arrival order within a series. */
class FlushPlanTest {

    @Test
    void rowsOfOneMetricAreContiguousAndInIdOrder() {
        Random random = new Random(7);
        int n = 5_000;
        long[] ids = new long[n];
        int[] groups = new int[n];
        long[] ts = new long[n];
        double[] vs = new double[n];
        // names that differ in their last characters only: their String hashes share the high bits
        String[] metrics = { "node_metric_001", "node_metric_002", "node_metric_037", "node_metric_099" };
        long[] seriesIds = new long[200];
        for (int s = 0; s < seriesIds.length; s++) {
            seriesIds[s] = random.nextLong();
        }
        for (int i = 0; i < n; i++) { // the fleet's shape: every series of every host, round after round
            int series = i % seriesIds.length;
            ids[i] = seriesIds[series];
            groups[i] = FlushPlan.metricGroup(metrics[series % metrics.length]);
            ts[i] = 1_000L * (i / seriesIds.length);
            vs[i] = i;
        }
        FlushPlan plan = new FlushPlan(List.of(), List.of(), ids, groups, ts, vs, n);
        FlushPlan.Columns columns = plan.columnsWithout(Set.of(seriesIds[0]));

        assertEquals(n - n / seriesIds.length, columns.size(), "the excluded series' rows are left out");
        Set<Integer> groupsSeen = new HashSet<>();
        List<Long> idsOfGroup = new ArrayList<>();
        int previousGroup = 0;
        for (int i = 0; i < columns.size(); i++) {
            int group = groupOf(columns.seriesIds()[i], seriesIds, metrics);
            if (i > 0 && group != previousGroup) {
                assertTrue(groupsSeen.add(previousGroup), "metric " + previousGroup + " appears in two runs");
                idsOfGroup.clear();
            }
            if (!idsOfGroup.isEmpty()) {
                long last = idsOfGroup.get(idsOfGroup.size() - 1);
                long id = columns.seriesIds()[i];
                assertTrue(Long.compareUnsigned(last, id) <= 0 || (last ^ id) >>> 40 == 0,
                        "ids ascend within a metric (up to their low bits)");
                if (last == id) {
                    assertTrue(columns.timestamps()[i - 1] < columns.timestamps()[i], "a series keeps its arrival order");
                }
            }
            idsOfGroup.add(columns.seriesIds()[i]);
            previousGroup = group;
        }
        assertEquals(metrics.length - 1, groupsSeen.size());
    }

    private static int groupOf(long id, long[] seriesIds, String[] metrics) {
        for (int s = 0; s < seriesIds.length; s++) {
            if (seriesIds[s] == id) {
                return metrics[s % metrics.length].hashCode();
            }
        }
        throw new AssertionError("unknown id " + id);
    }
}
