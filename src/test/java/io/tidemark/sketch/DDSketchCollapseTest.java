package io.tidemark.sketch;

import static io.tidemark.sketch.SketchTestData.assertWithinRelativeError;
import static io.tidemark.sketch.SketchTestData.exactQuantile;
import static io.tidemark.sketch.SketchTestData.sketchOf;
import static io.tidemark.sketch.SketchTestData.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DDSketchCollapseTest {

    /** The bin of |x| computed here, independently of the sketch. */
    private static long bin(double alpha, double x) {
        double gamma = (1 + alpha) / (1 - alpha);
        return (long) Math.ceil(Math.log(Math.abs(x)) / Math.log(gamma));
    }

    @Test
    void upperQuantilesStayAccurateWhenTheLowestBinsCollapse() {
        double alpha = 0.01;
        for (int maxBins : new int[] {700, 1000}) {
            for (long seed = 1; seed <= 5; seed++) {
                // lognormal with σ = 3: ~1,200 bins at α = 1 %, more than maxBins; p95 is 350-530 bins below the max
                double[] v = SketchTestData.gen("lognormal(0,3)", 20_000, new Random(seed),
                        x -> Math.exp(3 * x.nextGaussian())).values();
                checkUpperQuantiles(alpha, maxBins, v, 0.95);
            }
        }
    }

    @Test
    void aFewBinsAreEnoughForTheTopOfANarrowBand() {
        // 90 % of the values spread over many decades far below, the top 10 % within [100, 110]
        double[] v = SketchTestData.gen("noise + band", 10_000, new Random(4),
                x -> x.nextDouble() < 0.9 ? 1e-3 * Math.exp(3 * x.nextGaussian()) : 100 + 10 * x.nextDouble()).values();
        checkUpperQuantiles(0.01, 16, v, 0.92);
    }

    private static void checkUpperQuantiles(double alpha, int maxBins, double[] v, double mustCoverFrom) {
        DDSketch s = sketchOf(alpha, maxBins, v);
        double[] sorted = sorted(v);
        assertEquals(v.length, s.count());
        assertTrue(s.positiveStore().span() <= maxBins);
        long windowLow = bin(alpha, sorted[sorted.length - 1]) - maxBins + 1;
        assertTrue(bin(alpha, exactQuantile(sorted, mustCoverFrom)) > windowLow,
                "q=" + mustCoverFrom + " must be covered: bin " + bin(alpha, exactQuantile(sorted, mustCoverFrom)) + ", window from " + windowLow + ", maxBins " + maxBins);
        int checked = 0;
        for (double q : SketchTestData.manyQuantiles()) {
            double exact = exactQuantile(sorted, q);
            if (bin(alpha, exact) > windowLow) { // above the bin that holds the collapsed values
                assertWithinRelativeError(alpha, exact, s.quantile(q), "maxBins=" + maxBins + " q=" + q);
                checked++;
            }
        }
        assertTrue(checked >= (1 - mustCoverFrom) * 1000);
        // and the collapse did happen: the minimum is over-estimated
        assertTrue(s.quantile(0) > sorted[0] * (1 + alpha), "collapsed minimum");
    }

    @Test
    void negativeValuesCollapseTheMostNegativeOnes() {
        double alpha = 0.01;
        int maxBins = 500;
        double[] v = SketchTestData.gen("-lognormal(0,3)", 10_000, new Random(8),
                x -> -Math.exp(3 * x.nextGaussian())).values();
        DDSketch s = sketchOf(alpha, maxBins, v);
        double[] sorted = sorted(v);
        assertTrue(s.negativeStore().span() <= maxBins);
        // the highest negative values are those of smallest magnitude
        long windowHigh = bin(alpha, sorted[sorted.length - 1]) + maxBins - 1;
        int checked = 0;
        for (double q : SketchTestData.manyQuantiles()) {
            double exact = exactQuantile(sorted, q);
            if (bin(alpha, exact) < windowHigh) {
                assertWithinRelativeError(alpha, exact, s.quantile(q), "q=" + q);
                checked++;
            }
        }
        assertTrue(bin(alpha, exactQuantile(sorted, 0.9)) < windowHigh, "p90 must be covered");
        assertTrue(checked > 100);
        assertTrue(s.quantile(0) > sorted[0] * (1 - alpha), "the most negative value is collapsed (closer to 0)");
    }

    @Test
    void mixedSignsCollapseEachStoreSeparately() {
        double alpha = 0.02;
        int maxBins = 400;
        double[] v = SketchTestData.gen("±lognormal(0,4)", 10_000, new Random(9),
                x -> (x.nextDouble() < 0.2 ? -1 : 1) * Math.exp(4 * x.nextGaussian())).values();
        DDSketch s = sketchOf(alpha, maxBins, v);
        double[] sorted = sorted(v);
        assertTrue(s.positiveStore().span() <= maxBins);
        assertTrue(s.negativeStore().span() <= maxBins);
        assertTrue(s.quantile(0) > sorted[0] * (1 - alpha), "negative side collapsed");
        long windowLow = bin(alpha, sorted[sorted.length - 1]) - maxBins + 1;
        for (double q : new double[] {0.9, 0.95, 0.99, 0.999, 1}) {
            double exact = exactQuantile(sorted, q);
            assertTrue(exact > 0 && bin(alpha, exact) > windowLow, "q=" + q);
            assertWithinRelativeError(alpha, exact, s.quantile(q), "q=" + q);
        }
    }

    /** The store against a model: every count lands in max(key, highest key − maxBins + 1). */
    @Test
    void storeMatchesTheCollapsingModel() {
        Random r = new Random(17);
        for (int trial = 0; trial < 1000; trial++) {
            int maxBins = 1 + r.nextInt(40);
            DenseStore store = new DenseStore(maxBins);
            Map<Integer, Long> added = new HashMap<>();
            int maxKey = Integer.MIN_VALUE;
            int center = r.nextInt(2000) - 1000;
            int width = 1 + r.nextInt(150);
            int ops = r.nextInt(300);
            for (int op = 0; op < ops; op++) {
                if (r.nextInt(100) == 0) {
                    store.clear();
                    added.clear();
                    maxKey = Integer.MIN_VALUE;
                    continue;
                }
                int key = center + r.nextInt(width) - width / 2;
                if (r.nextInt(20) == 0) {
                    key += r.nextBoolean() ? 5000 : -5000; // far jumps
                }
                long n = 1 + r.nextInt(3);
                store.add(key, n);
                added.merge(key, n, Long::sum);
                maxKey = Math.max(maxKey, key);
            }
            Map<Integer, Long> expected = new HashMap<>();
            long total = 0;
            for (Map.Entry<Integer, Long> e : added.entrySet()) {
                expected.merge(Math.max(e.getKey(), maxKey - maxBins + 1), e.getValue(), Long::sum);
                total += e.getValue();
            }
            assertEquals(total, store.total(), "trial " + trial);
            if (total > 0) {
                assertEquals(maxKey, store.maxKey());
                assertEquals(expected.keySet().stream().mapToInt(Integer::intValue).min().getAsInt(), store.minKey());
                assertTrue(store.span() <= maxBins);
            }
            // expected keys all lie in minKey..maxKey (checked above); look a little around it too
            int lo = total > 0 ? store.minKey() - 3 : center - 6000;
            int hi = total > 0 ? store.maxKey() + 3 : center + 6000;
            for (int k = lo; k <= hi; k++) {
                assertEquals(expected.getOrDefault(k, 0L), store.count(k), "trial " + trial + " key " + k);
            }
            // merging the same additions piecewise gives the same store
            DenseStore merged = new DenseStore(maxBins);
            for (Map.Entry<Integer, Long> e : added.entrySet()) {
                DenseStore one = new DenseStore(maxBins);
                one.add(e.getKey(), e.getValue());
                merged.mergeFrom(one);
            }
            assertEquals(store.total(), merged.total());
            for (int k = lo; k <= hi; k++) {
                assertEquals(store.count(k), merged.count(k), "merged, trial " + trial + " key " + k);
            }
        }
    }
}
