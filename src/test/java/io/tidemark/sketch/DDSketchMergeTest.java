package io.tidemark.sketch;

import static io.tidemark.sketch.SketchTestData.QUANTILES;
import static io.tidemark.sketch.SketchTestData.assertWithinRelativeError;
import static io.tidemark.sketch.SketchTestData.exactQuantile;
import static io.tidemark.sketch.SketchTestData.sketchOf;
import static io.tidemark.sketch.SketchTestData.sorted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidemark.sketch.SketchTestData.DataSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DDSketchMergeTest {

    /** Same counts in every bin (canonical bytes) and the same answer for every quantile. */
    static void assertSameSketch(DDSketch expected, DDSketch actual, String what) {
        assertEquals(expected.count(), actual.count(), what + ": count");
        assertArrayEquals(expected.toBytes(), actual.toBytes(), what + ": bins");
        for (double q : SketchTestData.manyQuantiles()) {
            assertEquals(expected.quantile(q), actual.quantile(q), what + ": q=" + q);
        }
    }

    @Test
    void mergingTwoSketchesEqualsOneSketchOfTheUnion() {
        Random r = new Random(7);
        for (int maxBins : new int[] {DDSketch.DEFAULT_MAX_BINS, 40, 3}) {
            for (DataSet ds : SketchTestData.dataSets(11)) {
                double[] v = ds.values();
                DDSketch a = new DDSketch(0.01, maxBins);
                DDSketch b = new DDSketch(0.01, maxBins);
                for (double x : v) {
                    (r.nextBoolean() ? a : b).add(x);
                }
                DDSketch whole = sketchOf(0.01, maxBins, v);
                DDSketch merged = a.copy();
                merged.merge(b);
                assertSameSketch(whole, merged, ds + " maxBins=" + maxBins + " a+b");
                b.merge(a);
                assertSameSketch(whole, b, ds + " maxBins=" + maxBins + " b+a");
            }
        }
    }

    @Test
    void sixtyMinutesMergeIntoTheHourAndTwentyFourHoursIntoTheDay() {
        Random r = new Random(3);
        DDSketch day = new DDSketch();
        DDSketch dayOfHours = new DDSketch();
        List<Double> all = new ArrayList<>();
        DDSketch minute = new DDSketch(); // reused, as a rollup job would
        for (int h = 0; h < 24; h++) {
            DDSketch hour = new DDSketch();
            DDSketch hourOfMinutes = new DDSketch();
            double level = 200 + 150 * Math.sin(h / 24.0 * 2 * Math.PI);
            for (int m = 0; m < 60; m++) {
                minute.clear();
                for (int s = 0; s < 6; s++) { // 10 s scrape interval
                    double x = level * (1 + 0.2 * (2 * r.nextDouble() - 1)) * (r.nextDouble() < 0.01 ? 20 : 1);
                    minute.add(x);
                    hour.add(x);
                    day.add(x);
                    all.add(x);
                }
                hourOfMinutes.merge(DDSketch.fromBytes(minute.toBytes()));
            }
            assertSameSketch(hour, hourOfMinutes, "hour " + h);
            dayOfHours.merge(DDSketch.fromBytes(hourOfMinutes.toBytes()));
        }
        assertSameSketch(day, dayOfHours, "day");
        double[] s = sorted(all.stream().mapToDouble(Double::doubleValue).toArray());
        for (double q : QUANTILES) {
            assertWithinRelativeError(0.01, exactQuantile(s, q), dayOfHours.quantile(q), "day q=" + q);
        }
    }

    @Test
    void collapsingDoesNotDependOnTheOrderOfAdditionsOrMerges() {
        Random r = new Random(5);
        double[] v = SketchTestData.gen("lognormal(0,4)", 3000, r, x -> Math.exp(4 * x.nextGaussian())).values();
        int maxBins = 50;
        DDSketch reference = sketchOf(0.01, maxBins, v);
        for (int trial = 0; trial < 20; trial++) {
            double[] shuffled = v.clone();
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            assertSameSketch(reference, sketchOf(0.01, maxBins, shuffled), "shuffled add " + trial);
            // Merge of uneven pieces, in random order
            DDSketch merged = new DDSketch(0.01, maxBins);
            int from = 0;
            while (from < shuffled.length) {
                int to = Math.min(shuffled.length, from + 1 + r.nextInt(400));
                merged.merge(sketchOf(0.01, maxBins, Arrays.copyOfRange(shuffled, from, to)));
                from = to;
            }
            assertSameSketch(reference, merged, "pieces " + trial);
        }
    }

    @Test
    void mergeEdgeCases() {
        DDSketch a = sketchOf(0.01, 2048, new double[] {1, 2, 3, -4, 0, Double.POSITIVE_INFINITY});
        DDSketch empty = new DDSketch();
        DDSketch copy = a.copy();
        copy.merge(empty);
        assertSameSketch(a, copy, "a + empty");
        DDSketch e = new DDSketch();
        e.merge(a);
        assertSameSketch(a, e, "empty + a");
        DDSketch self = a.copy();
        self.merge(self);
        DDSketch twice = sketchOf(0.01, 2048, new double[] {1, 2, 3, -4, 0, Double.POSITIVE_INFINITY,
                1, 2, 3, -4, 0, Double.POSITIVE_INFINITY});
        assertSameSketch(twice, self, "a + a");
        assertThrows(IllegalArgumentException.class, () -> a.merge(new DDSketch(0.02)));
        assertThrows(IllegalArgumentException.class, () -> a.merge(new DDSketch(0.010000000000000002)));
    }
}
