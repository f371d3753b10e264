package io.tidemark.sketch;

import static io.tidemark.sketch.SketchTestData.QUANTILES;
import static io.tidemark.sketch.SketchTestData.assertWithinRelativeError;
import static io.tidemark.sketch.SketchTestData.exactQuantile;
import static io.tidemark.sketch.SketchTestData.sketchOf;
import static io.tidemark.sketch.SketchTestData.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.sketch.SketchTestData.DataSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DDSketchAccuracyTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.001, 0.05})
    void everyQuantileIsWithinTheRelativeAccuracyOfTheExactOne(double alpha) {
        for (long seed = 1; seed <= 3; seed++) {
            for (DataSet ds : SketchTestData.dataSets(seed * 31 + (long) (alpha * 1e6))) {
                // 2048 bins span 18 decades at α = 1 % but 1.8 at α = 0.1 %: enough bins not to collapse here
                checkAccuracy(alpha, alpha >= 0.01 ? DDSketch.DEFAULT_MAX_BINS : DDSketch.MAX_MAX_BINS, ds);
            }
        }
    }

    @Test
    void valuesOverHundredsOfDecadesWithEnoughBins() {
        for (long seed = 1; seed <= 3; seed++) {
            checkAccuracy(0.01, DDSketch.MAX_MAX_BINS, SketchTestData.extremeMagnitudes(seed));
        }
        checkAccuracy(0.02, DDSketch.MAX_MAX_BINS, SketchTestData.extremes());
        checkAccuracy(0.05, DDSketch.MAX_MAX_BINS, SketchTestData.extremes());
    }

    private static void checkAccuracy(double alpha, int maxBins, DataSet ds) {
        DDSketch sketch = sketchOf(alpha, maxBins, ds.values());
        double[] sorted = sorted(ds.values());
        assertEquals(sorted.length, sketch.count(), ds + ": count");
        for (double q : SketchTestData.manyQuantiles()) {
            assertWithinRelativeError(alpha, exactQuantile(sorted, q), sketch.quantile(q), ds + " α=" + alpha + " q=" + q);
        }
    }

    @Test
    void valuesOnAndNextToBinEdgesKeepTheGuarantee() {
        for (double alpha : new double[] {0.01, 0.001, 0.02, 1e-6, 0.5}) {
            double gamma = (1 + alpha) / (1 - alpha);
            DDSketch s = new DDSketch(alpha);
            for (int i = -30000; i <= 30000; i += 97) {
                double edge = Math.exp(i * Math.log(gamma));
                if (edge < Double.MIN_NORMAL || Double.isInfinite(edge)) {
                    continue;
                }
                for (double x : new double[] {edge, Math.nextUp(edge), Math.nextDown(edge), -edge}) {
                    s.clear();
                    s.add(x);
                    for (double q : QUANTILES) {
                        assertWithinRelativeError(alpha, x, s.quantile(q), "α=" + alpha + " x=" + x);
                    }
                }
            }
        }
    }

    @Test
    void theRankDefinitionIsLowerWithoutInterpolation() {
        DDSketch s = new DDSketch();
        for (int v = 1; v <= 4; v++) {
            s.add(v * 100);
        }
        // n = 4: q·3 → ranks 0, 0, 1, 1, 2, 2, 3
        double[][] expected = {{0, 100}, {0.3, 100}, {1 / 3.0, 200}, {0.5, 200}, {0.7, 300}, {0.99, 300}, {1, 400}};
        for (double[] e : expected) {
            assertWithinRelativeError(0.01, e[1], s.quantile(e[0]), "q=" + e[0]);
        }
    }

    @Test
    void nanIsIgnored() {
        DDSketch s = new DDSketch();
        s.add(Double.NaN);
        s.add(Double.NaN, 5);
        assertTrue(s.isEmpty());
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.quantile(0.5)));
        s.add(7);
        s.add(Double.NaN);
        assertEquals(1, s.count());
        assertWithinRelativeError(0.01, 7, s.quantile(1), "max");
    }

    @Test
    void infinitiesAreCountedAndRankAtTheEnds() {
        DDSketch s = new DDSketch();
        for (int i = 1; i <= 98; i++) {
            s.add(i);
        }
        s.add(Double.POSITIVE_INFINITY);
        s.add(Double.NEGATIVE_INFINITY);
        assertEquals(100, s.count());
        assertEquals(Double.POSITIVE_INFINITY, s.quantile(1));
        assertEquals(Double.NEGATIVE_INFINITY, s.quantile(0));
        assertWithinRelativeError(0.01, 97, s.quantile(0.98), "rank 97"); // ranks: -Inf, 1..98, +Inf
        assertEquals(Double.NEGATIVE_INFINITY, s.quantile(0.01)); // floor(0.01·99) = rank 0
        assertWithinRelativeError(0.01, 1, s.quantile(0.02), "rank 1");
    }

    @Test
    void zerosAndSubnormalsAreZeros() {
        DDSketch s = new DDSketch();
        s.add(0.0);
        s.add(-0.0);
        s.add(Double.MIN_VALUE);
        s.add(-Double.MIN_NORMAL / 2);
        assertEquals(4, s.zeroCount());
        assertEquals(0.0, s.quantile(0));
        assertEquals(0.0, s.quantile(1));
        s.add(Double.MIN_NORMAL);
        assertEquals(1, s.positiveStore().total());
    }

    @Test
    void addWithCountEqualsRepeatedAdds() {
        DDSketch a = new DDSketch();
        DDSketch b = new DDSketch();
        double[] values = {3.5, -2, 0, 1e9, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.5};
        for (double v : values) {
            a.add(v, 7);
            for (int i = 0; i < 7; i++) {
                b.add(v);
            }
        }
        a.add(12, 0);
        assertEquals(b.count(), a.count());
        assertEquals(java.util.Arrays.toString(b.toBytes()), java.util.Arrays.toString(a.toBytes()));
        assertThrows(IllegalArgumentException.class, () -> a.add(1, -1));
    }

    @Test
    void emptySketchAndArgumentChecks() {
        DDSketch s = new DDSketch();
        assertTrue(s.isEmpty());
        assertTrue(Double.isNaN(s.quantile(0)));
        assertTrue(Double.isNaN(s.quantile(1)));
        assertThrows(IllegalArgumentException.class, () -> s.quantile(-0.01));
        assertThrows(IllegalArgumentException.class, () -> s.quantile(1.01));
        assertThrows(IllegalArgumentException.class, () -> s.quantile(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new DDSketch(0));
        assertThrows(IllegalArgumentException.class, () -> new DDSketch(1));
        assertThrows(IllegalArgumentException.class, () -> new DDSketch(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new DDSketch(0.01, 0));
        s.add(1);
        assertFalse(s.isEmpty());
    }

    @Test
    void clearedSketchIsLikeANewOne() {
        DDSketch reused = new DDSketch(0.01, 64);
        for (DataSet ds : SketchTestData.dataSets(99)) {
            reused.clear();
            assertTrue(reused.isEmpty());
            for (double v : ds.values()) {
                reused.add(v);
            }
            DDSketch fresh = sketchOf(0.01, 64, ds.values());
            assertEquals(java.util.Arrays.toString(fresh.toBytes()), java.util.Arrays.toString(reused.toBytes()),
                    ds.toString());
        }
    }
}
