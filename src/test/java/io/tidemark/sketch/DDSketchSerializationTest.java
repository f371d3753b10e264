package io.tidemark.sketch;

import static io.tidemark.sketch.SketchTestData.sketchOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.sketch.SketchTestData.DataSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DDSketchSerializationTest {

    static List<DDSketch> samples() {
        List<DDSketch> out = new ArrayList<>();
        out.add(new DDSketch());
        out.add(sketchOf(0.01, 2048, new double[] {0}));
        out.add(sketchOf(0.01, 2048, new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 5}));
        out.add(sketchOf(0.001, 100, new double[] {1e-5, 1, 1e5, -3}));
        for (DataSet ds : SketchTestData.dataSets(21)) {
            out.add(sketchOf(0.01, 2048, ds.values()));
            out.add(sketchOf(0.05, 20, ds.values())); // collapsed
        }
        out.add(sketchOf(0.01, DDSketch.MAX_MAX_BINS, SketchTestData.extremeMagnitudes(1).values()));
        DDSketch big = new DDSketch();
        big.add(1, Long.MAX_VALUE / 4);
        big.add(-1, Long.MAX_VALUE / 4);
        out.add(big);
        return out;
    }

    @Test
    void roundTripPreservesCountsAndQuantilesExactly() {
        for (DDSketch s : samples()) {
            byte[] bytes = s.toBytes();
            assertEquals(bytes.length, s.serializedSize());
            DDSketch back = DDSketch.fromBytes(bytes);
            assertEquals(s.relativeAccuracy(), back.relativeAccuracy());
            assertEquals(s.maxBins(), back.maxBins());
            assertEquals(s.count(), back.count());
            assertEquals(s.zeroCount(), back.zeroCount());
            for (DenseStore[] st : new DenseStore[][] {{s.positiveStore(), back.positiveStore()},
                    {s.negativeStore(), back.negativeStore()}}) {
                assertEquals(st[0].total(), st[1].total());
                assertEquals(st[0].span(), st[1].span());
                if (st[0].span() > 0) {
                    assertEquals(st[0].minKey(), st[1].minKey());
                    for (int k = st[0].minKey(); k <= st[0].maxKey(); k++) {
                        assertEquals(st[0].count(k), st[1].count(k), "bin " + k);
                    }
                }
            }
            for (double q : SketchTestData.manyQuantiles()) {
                assertEquals(s.quantile(q), back.quantile(q), "q=" + q);
            }
            assertArrayEquals(bytes, back.toBytes());
            // The decoded sketch keeps working: adding to it behaves like adding to the original.
            s.add(123.0);
            back.add(123.0);
            assertArrayEquals(s.toBytes(), back.toBytes());
        }
    }

    @Test
    void everyTruncationIsRejected() {
        Random r = new Random(2);
        for (DDSketch s : samples()) {
            byte[] bytes = s.toBytes();
            for (int len = 0; len < bytes.length; len++) {
                if (len > 100 && len < bytes.length - 100 && r.nextInt(bytes.length / 100) != 0) {
                    continue; // long forms: every prefix near the ends, ~100 in the middle
                }
                byte[] cut = Arrays.copyOf(bytes, len);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DDSketch.fromBytes(cut),
                        "prefix of " + len + " of " + bytes.length);
                assertTrue(e.getMessage().contains("DDSketch"), e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DDSketch.fromBytes(null));
    }

    @Test
    void corruptBytesAreRejectedWithAClearMessage() {
        byte[] good = sketchOf(0.01, 2048, new double[] {1, 2, 50, -3}).toBytes();

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertMessage(trailing, "trailing");

        byte[] version = good.clone();
        version[0] = 9;
        assertMessage(version, "version 9");

        byte[] nanAlpha = good.clone();
        long nan = Double.doubleToRawLongBits(Double.NaN);
        for (int i = 0; i < 8; i++) {
            nanAlpha[1 + i] = (byte) (nan >>> (56 - 8 * i));
        }
        assertMessage(nanAlpha, "relative accuracy");

        // Hand-made: version, α, maxBins 4, no zero/inf, negative store empty, positive store spanning 5 bins.
        assertMessage(handMade(4, 5, 0, 1, 0, 3, 1), "more than maxBins");
        assertMessage(handMade(8, 5, 0, 0, 1, 1, 0, 1), "starts with an empty bin");
        assertMessage(handMade(8, 5, 0, 1, 0, 4), "ends with an empty bin");
        assertMessage(handMade(8, 5, 0, 1, 0, 9, 1), "empty run");
        assertMessage(handMade(8, 2, 2 * 5_000_000L, 1, 1), "outside");
        byte[] overflow = handMade(8, 2, 0, 0x7F, 0x7F);
        assertMessage(varintsReplaced(overflow), "overflow");
    }

    @Test
    void randomCorruptionOnlyEverThrowsIllegalArgumentException() {
        Random r = new Random(1);
        List<DDSketch> samples = samples();
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] b = samples.get(r.nextInt(samples.size())).toBytes();
            int flips = 1 + r.nextInt(3);
            for (int f = 0; f < flips; f++) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                DDSketch s = DDSketch.fromBytes(b);
                s.quantile(0.5);
                s.toBytes();
            } catch (IllegalArgumentException expected) {
                rejected++;
            }
        }
        assertTrue(rejected > 0);
    }

    @Test
    void aMinuteIsAFewDozenBytesAndADayAFewHundred() {
        Random r = new Random(42);
        DDSketch minute = new DDSketch();
        for (int i = 0; i < 6; i++) {
            minute.add(512.0 * (1 + 0.2 * (2 * r.nextDouble() - 1)));
        }
        int minuteSize = minute.toBytes().length;
        DDSketch day = new DDSketch();
        for (int i = 0; i < 8640; i++) {
            day.add(512.0 * (1 + 0.2 * (2 * r.nextDouble() - 1)));
        }
        int daySize = day.toBytes().length;
        assertTrue(minuteSize <= 36, "6 samples: " + minuteSize + " bytes");
        assertTrue(daySize <= 300, "8640 samples: " + daySize + " bytes");
        // A wider day (a gauge that moves ±20 % around a level that itself doubles): still small.
        day.clear();
        for (int i = 0; i < 8640; i++) {
            double level = 100 * (1 + Math.sin(i / 8640.0 * 2 * Math.PI) / 2);
            day.add(level * (1 + 0.2 * (2 * r.nextDouble() - 1)));
        }
        assertTrue(day.toBytes().length <= 400, "8640 samples, moving level: " + day.toBytes().length + " bytes");
    }

    private static void assertMessage(byte[] bytes, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DDSketch.fromBytes(bytes));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** Header with α = 0.01 and the given maxBins, no zero/inf counts, an empty negative store, then {@code pos}. */
    private static byte[] handMade(long maxBins, long... pos) {
        List<Byte> out = new ArrayList<>();
        out.add(DDSketch.VERSION);
        long a = Double.doubleToRawLongBits(0.01);
        for (int s = 56; s >= 0; s -= 8) {
            out.add((byte) (a >>> s));
        }
        varint(out, maxBins);
        varint(out, 0);
        varint(out, 0);
        varint(out, 0);
        varint(out, 0);
        for (long p : pos) {
            varint(out, p);
        }
        byte[] b = new byte[out.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = out.get(i);
        }
        return b;
    }

    /** Replaces the last two varints (0x7F 0x7F) with an 11-byte varint. */
    private static byte[] varintsReplaced(byte[] b) {
        byte[] out = Arrays.copyOf(b, b.length - 2 + 11);
        for (int i = b.length - 2; i < out.length - 1; i++) {
            out[i] = (byte) 0xFF;
        }
        out[out.length - 1] = 0x01;
        return out;
    }

    private static void varint(List<Byte> out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.add((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.add((byte) v);
    }
}
