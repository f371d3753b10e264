package io.tidemark.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
    private static final long STALE_NAN = 0x7ff0000000000002L;
    private static final long OTHER_NAN = 0x7ff8000000000001L;
    private static final long T0 = 1_767_225_600_000L;

    // ---------------------------------------------------------------- generators

    private static long[] regular(int n, long step) {
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * step;
        }
        return ts;
    }

    /** Scrape-like timestamps: jitter of a few ms, occasional missed scrapes and gaps of hours. */
    private static long[] irregular(Random random, int n) {
        long[] ts = new long[n];
        long t = T0 + random.nextInt(100_000) - 50_000;
        for (int i = 0; i < n; i++) {
            ts[i] = t;
            long step = switch (random.nextInt(20)) {
                case 0 -> 1 + random.nextInt(5_000);               // burst
                case 1 -> 10_000L * (2 + random.nextInt(5));       // missed scrapes
                case 2 -> 3_600_000L * (1 + random.nextInt(6)) + random.nextInt(1000); // gap of hours
                case 3, 4, 5, 6, 7 -> 10_000;                     // aligned
                default -> 10_000 + random.nextInt(11) - 5;       // jitter
            };
            t += step;
        }
        return ts;
    }

    private static double[] randomWalk(Random random, int n) {
        double[] v = new double[n];
        double x = random.nextGaussian() * 1000;
        for (int i = 0; i < n; i++) {
            x += random.nextGaussian() * 3;
            v[i] = x;
        }
        return v;
    }

    private static double[] decimalGauge(Random random, int n, int decimals) {
        double scale = Math.pow(10, decimals);
        double[] v = new double[n];
        double x = 5 + random.nextDouble() * 400;
        for (int i = 0; i < n; i++) {
            x = Math.max(0, x + random.nextGaussian() * 0.8);
            v[i] = Math.round(x * scale) / scale;
        }
        return v;
    }

    private static double[] counterWithResets(Random random, int n) {
        double[] v = new double[n];
        double x = random.nextInt(1_000_000);
        double rate = random.nextInt(1000);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(500) == 0) {
                x = 0; // restart
            }
            x += rate + random.nextInt(20);
            v[i] = x;
        }
        return v;
    }

    private static double[] integers(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(10) == 0 ? random.nextLong() >> random.nextInt(64) : random.nextInt(50) - 10;
        }
        return v;
    }

    private static double[] rawBits(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Double.longBitsToDouble(random.nextLong());
        }
        return v;
    }

    // ---------------------------------------------------------------- checks

    /** Encodes with the automatic choice and every applicable forced encoding; all must round-trip exactly. */
    private static byte[] assertRoundTrip(long[] ts, double[] v, int count) {
        byte[] best = ChunkCodec.encode(ts, v, count);
        assertDecodesTo(best, ts, v, count);
        for (ChunkEncoding forced : ChunkEncoding.values()) {
            byte[] chunk;
            try {
                chunk = ChunkCodec.encode(ts, v, count, forced);
            } catch (IllegalArgumentException notApplicable) {
                assertNotEquals(ChunkEncoding.GORILLA, forced, "Gorilla takes any values");
                continue;
            }
            assertEquals(forced, ChunkCodec.encodingOf(chunk));
            assertDecodesTo(chunk, ts, v, count);
            {
                assertTrue(best.length <= chunk.length,
                        "automatic choice " + ChunkCodec.encodingOf(best) + " (" + best.length + " B) is not the smallest, "
                                + forced + " has " + chunk.length + " B");
            }
        }
        return best;
    }

    private static void assertDecodesTo(byte[] chunk, long[] ts, double[] v, int count) {
        DecodedChunk decoded = ChunkCodec.decode(chunk);
        assertEquals(count, decoded.count());
        assertArrayEquals(Arrays.copyOf(ts, count), decoded.timestamps(), "timestamps, " + decoded.encoding());
        for (int i = 0; i < count; i++) {
            if (Double.doubleToRawLongBits(v[i]) != Double.doubleToRawLongBits(decoded.values()[i])) {
                fail(decoded.encoding() + " value " + i + ": expected bits " + Long.toHexString(Double.doubleToRawLongBits(v[i]))
                        + " (" + v[i] + ") but got " + Long.toHexString(Double.doubleToRawLongBits(decoded.values()[i]))
                        + " (" + decoded.values()[i] + ")");
            }
        }
        ChunkReader reader = new ChunkReader(chunk);
        for (int i = 0; i < count; i++) {
            assertTrue(reader.next());
            assertEquals(ts[i], reader.timestamp());
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(reader.value()));
        }
        assertFalse(reader.next());
        assertFalse(reader.next());
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void randomSeriesRoundTripOverManySeeds() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(random.nextBoolean() ? 10 : 1500);
            long[] ts = random.nextBoolean() ? regular(n, 1 + random.nextInt(60_000)) : irregular(random, n);
            double[] v = switch (seed % 6) {
                case 0 -> randomWalk(random, n);
                case 1 -> decimalGauge(random, n, 2);
                case 2 -> counterWithResets(random, n);
                case 3 -> integers(random, n);
                case 4 -> rawBits(random, n);
                default -> decimalGauge(random, n, random.nextInt(6));
            };
            try {
                assertRoundTrip(ts, v, n);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void countSmallerThanTheArraysUsesOnlyThePrefix() {
        Random random = new Random(3);
        long[] ts = regular(100, 15_000);
        double[] v = decimalGauge(random, 100, 2);
        byte[] chunk = assertRoundTrip(ts, v, 40);
        assertEquals(40, ChunkCodec.decode(chunk).count());
    }

    @Test
    void decimalGaugesUseTheDecimalEncoding() {
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            double[] v = decimalGauge(random, 720, 2);
            byte[] chunk = assertRoundTrip(regular(720, 10_000), v, 720);
            assertEquals(ChunkEncoding.DECIMAL, ChunkCodec.encodingOf(chunk), "seed " + seed);
            byte[] gorilla = ChunkCodec.encode(regular(720, 10_000), v, 720, ChunkEncoding.GORILLA);
            assertTrue(chunk.length * 3 < gorilla.length, chunk.length + " B decimal vs " + gorilla.length + " B Gorilla");
            // σ = 0.8 at 2 decimals: ~8.4 bits of entropy per delta
            assertTrue(chunk.length < 720 * 1.2, chunk.length + " B for 720 samples");
        }
        double[] example = {240.41, 243.23, 243.2, 250, 0.01, 1e6};
        byte[] chunk = assertRoundTrip(regular(example.length, 10_000), example, example.length);
        assertEquals(ChunkEncoding.DECIMAL, ChunkCodec.encodingOf(chunk));
    }

    @Test
    void countersPickTheCheaperDecimalOrder() {
        // a counter with a constant rate: delta-of-deltas are all zero
        double[] v = new double[720];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1_000_000 + 1234.5 * i;
        }
        byte[] chunk = assertRoundTrip(regular(720, 10_000), v, 720);
        assertEquals(ChunkEncoding.DECIMAL, ChunkCodec.encodingOf(chunk));
        assertTrue(chunk.length < 720 / 8 + 30, chunk.length + " B");
        assertEquals(ChunkCodec.ORDER_DELTA_OF_DELTA, orderOf(chunk));
        // a gauge random walk keeps plain deltas
        byte[] gauge = ChunkCodec.encode(regular(720, 10_000), decimalGauge(new Random(4), 720, 2), 720);
        assertEquals(ChunkCodec.ORDER_DELTA, orderOf(gauge));
    }

    /** The decimal order field of a DECIMAL chunk with 2+ points. */
    private static int orderOf(byte[] chunk) {
        BitReader in = new BitReader();
        in.reset(chunk);
        in.readByte();
        in.readVarint();
        in.readVarint();
        in.readVarint();
        in.readByte();
        return in.readByte() >>> 6;
    }

    @Test
    void gorillaIsChosenWhenANanIsPresent() {
        Random random = new Random(11);
        for (long nanBits : new long[] {STALE_NAN, OTHER_NAN, Double.doubleToRawLongBits(Double.NaN)}) {
            double[] v = decimalGauge(random, 720, 2);
            v[random.nextInt(720)] = Double.longBitsToDouble(nanBits);
            byte[] chunk = assertRoundTrip(regular(720, 10_000), v, 720);
            assertEquals(ChunkEncoding.GORILLA, ChunkCodec.encodingOf(chunk));
            assertThrows(IllegalArgumentException.class,
                    () -> ChunkCodec.encode(regular(720, 10_000), v, 720, ChunkEncoding.DECIMAL));
        }
    }

    @Test
    void nanPayloadsStayDistinct() {
        double[] v = {Double.longBitsToDouble(STALE_NAN), Double.longBitsToDouble(OTHER_NAN), Double.NaN, 1.5,
            Double.longBitsToDouble(STALE_NAN), Double.longBitsToDouble(0xfff8000000000000L),
            Double.longBitsToDouble(0x7fffffffffffffffL), Double.longBitsToDouble(STALE_NAN)};
        byte[] chunk = assertRoundTrip(regular(v.length, 10_000), v, v.length);
        double[] decoded = ChunkCodec.decode(chunk).values();
        assertEquals(STALE_NAN, Double.doubleToRawLongBits(decoded[0]));
        assertEquals(OTHER_NAN, Double.doubleToRawLongBits(decoded[1]));
        assertEquals(Double.doubleToRawLongBits(Double.NaN), Double.doubleToRawLongBits(decoded[2]));
        // a whole chunk of staleness markers is CONSTANT and keeps the payload
        double[] stale = new double[50];
        Arrays.fill(stale, Double.longBitsToDouble(STALE_NAN));
        byte[] staleChunk = assertRoundTrip(regular(50, 10_000), stale, 50);
        assertEquals(ChunkEncoding.CONSTANT, ChunkCodec.encodingOf(staleChunk));
        assertEquals(STALE_NAN, Double.doubleToRawLongBits(ChunkCodec.decode(staleChunk).values()[49]));
    }

    @Test
    void specialValuesRoundTrip() {
        double[] specials = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1e-300, 1e300, 0.1 + 0.2,
            Math.PI, 1e22, 1e23, 123456789012345678.0, 9007199254740993.0, -1.0 / 3};
        assertRoundTrip(regular(specials.length, 1000), specials, specials.length);
        for (double special : specials) {
            // each special inside an otherwise decimal gauge, and alone
            double[] v = decimalGauge(new Random(1), 100, 2);
            v[50] = special;
            byte[] chunk = assertRoundTrip(regular(100, 10_000), v, 100);
            if (!Double.isFinite(special) || Double.doubleToRawLongBits(special) == Double.doubleToRawLongBits(-0.0)) {
                assertEquals(ChunkEncoding.GORILLA, ChunkCodec.encodingOf(chunk), "with " + special);
            }
            assertRoundTrip(new long[] {-5}, new double[] {special}, 1);
        }
    }

    @Test
    void decimalExponentsCoverLargeAndSmallScales() {
        double[][] cases = {
            {1e20, 3e20, 7e19, 0},          // positive exponent
            {0.000001, 0.000002, 0.000015}, // 6 decimals
            {1.5e-15, 2.25e-15},
            {-42, -41, 7, 0, 1_000_000_000_000.0},
            {9_007_199_254_740_992.0, 9_007_199_254_740_990.0}, // 2^53 region
        };
        for (double[] v : cases) {
            byte[] chunk = assertRoundTrip(regular(v.length, 10_000), v, v.length);
            assertEquals(ChunkEncoding.DECIMAL, ChunkCodec.encodingOf(chunk), Arrays.toString(v));
        }
    }

    @Test
    void irregularAndExtremeTimestampsRoundTrip() {
        for (int seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            int n = 2 + random.nextInt(800);
            assertRoundTrip(irregular(random, n), decimalGauge(random, n, 2), n);
        }
        // huge positive and negative delta-of-deltas across the whole ±2^62 range
        long[] ts = {-(1L << 62), -(1L << 62) + 1, 0, 1, 1L << 61, (1L << 62) - 1_000_000, (1L << 62) - 3, (1L << 62)};
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        assertRoundTrip(ts, v, ts.length);
        // extreme longs work too (wrap-around arithmetic is exact)
        long[] extreme = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        assertRoundTrip(extreme, new double[extreme.length], extreme.length);
        // every delta-of-delta bucket boundary
        long[] buckets = {0, 31, 32, 4095, 4096, 524287, 524288, (1L << 31) - 1, 1L << 31, 1L << 40};
        for (long dod : buckets) {
            for (long sign : new long[] {1, -1}) {
                long step = 1L << 42;
                long[] t = {0, step, 2 * step + sign * dod, 3 * step + sign * dod, 4 * step + sign * dod + 1};
                assertRoundTrip(t, new double[] {1, 2, 3, 4, 5}, 5);
            }
        }
    }

    @Test
    void singleAndTwoPointChunks() {
        for (double v : new double[] {0, 42.5, Double.NaN, -0.0}) {
            assertRoundTrip(new long[] {T0}, new double[] {v}, 1);
            assertRoundTrip(new long[] {T0, T0 + 1}, new double[] {v, 1.25}, 2);
            assertRoundTrip(new long[] {T0, T0 + 10_000, T0 + 20_000}, new double[] {v, 1.25, v}, 3);
        }
    }

    @Test
    void constantSeriesAreTiny() {
        double[] v = new double[720];
        Arrays.fill(v, 1.0);
        byte[] chunk = assertRoundTrip(regular(720, 10_000), v, 720);
        assertEquals(ChunkEncoding.CONSTANT, ChunkCodec.encodingOf(chunk));
        assertTrue(chunk.length <= 25, chunk.length + " B");
    }

    @Test
    void largeChunksRoundTrip() {
        Random random = new Random(99);
        assertRoundTrip(regular(10_000, 10_000), decimalGauge(random, 10_000, 2), 10_000);
        assertRoundTrip(irregular(random, 10_000), randomWalk(random, 10_000), 10_000);
        assertRoundTrip(irregular(random, 100_000), counterWithResets(random, 100_000), 100_000);
        assertRoundTrip(regular(100_000, 1000), rawBits(random, 100_000), 100_000);
    }

    @Test
    void readerIsReusableAcrossChunks() {
        Random random = new Random(5);
        ChunkReader reader = new ChunkReader();
        for (int c = 0; c < 30; c++) {
            int n = 1 + random.nextInt(300);
            long[] ts = irregular(random, n);
            double[] v = c % 3 == 0 ? rawBits(random, n) : decimalGauge(random, n, 2);
            reader.reset(ChunkCodec.encode(ts, v, n));
            int i = 0;
            while (reader.next()) {
                assertEquals(ts[i], reader.timestamp());
                assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(reader.value()));
                i++;
            }
            assertEquals(n, i);
        }
    }

    // ---------------------------------------------------------------- invalid input and corruption

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChunkCodec.encode(new long[0], new double[0], 0));
        assertThrows(IllegalArgumentException.class, () -> ChunkCodec.encode(new long[] {1}, new double[] {1}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkCodec.encode(new long[] {5, 5}, new double[] {1, 2}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkCodec.encode(new long[] {5, 4}, new double[] {1, 2}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ChunkCodec.encode(new long[] {1, 2}, new double[] {1, 2}, 2, ChunkEncoding.CONSTANT));
        assertThrows(IllegalStateException.class, () -> new ChunkReader().next());
    }

    @Test
    void truncatedChunksThrow() {
        Random random = new Random(21);
        byte[][] chunks = {
            ChunkCodec.encode(regular(720, 10_000), decimalGauge(random, 720, 2), 720),
            ChunkCodec.encode(irregular(random, 500), rawBits(random, 500), 500),
            ChunkCodec.encode(irregular(random, 300), counterWithResets(random, 300), 300),
            ChunkCodec.encode(regular(720, 10_000), new double[720], 720),
            ChunkCodec.encode(new long[] {T0}, new double[] {Math.E}, 1),
        };
        for (byte[] chunk : chunks) {
            for (int length = 0; length < chunk.length; length++) {
                byte[] prefix = Arrays.copyOf(chunk, length);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ChunkCodec.decode(prefix), "prefix of " + length + " of " + chunk.length + " bytes");
                assertTrue(e.getMessage().startsWith("chunk truncated") || e.getMessage().startsWith("corrupt chunk")
                        || e.getMessage().startsWith("unknown chunk format"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChunkCodec.decode(Arrays.copyOf(chunk, chunk.length - 1)));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            byte[] longer = Arrays.copyOf(chunk, chunk.length + 1);
            longer[chunk.length] = 1;
            assertThrows(IllegalArgumentException.class, () -> ChunkCodec.decode(longer), "trailing byte");
        }
    }

    @Test
    void corruptChunksThrowOrDecodeButNeverHang() {
        Random random = new Random(77);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + random.nextInt(200);
            long[] ts = irregular(random, n);
            double[] v = round % 2 == 0 ? decimalGauge(random, n, 2) : rawBits(random, n);
            byte[] chunk = ChunkCodec.encode(ts, v, n);
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                int bit = random.nextInt(chunk.length * 8);
                chunk[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            }
            try {
                DecodedChunk decoded = ChunkCodec.decode(chunk);
                for (int i = 1; i < decoded.count(); i++) {
                    assertTrue(decoded.timestamps()[i] > decoded.timestamps()[i - 1]);
                }
            } catch (IllegalArgumentException expected) {
                // the clear failure we want
            }
        }
    }

    @Test
    void unknownFormatTagIsRejected() {
        byte[] chunk = ChunkCodec.encode(new long[] {1, 2}, new double[] {1, 2}, 2);
        chunk[0] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChunkCodec.decode(chunk));
        assertTrue(e.getMessage().contains("tag 9"), e.getMessage());
    }
}
