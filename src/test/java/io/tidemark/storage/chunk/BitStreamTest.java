package io.tidemark.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitStreamTest {

    @Test
    void randomFieldsRoundTrip() {
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(2000);
            int[] widths = new int[n];
            long[] values = new long[n];
            BitWriter out = new BitWriter(1);
            long expectedBits = 0;
            for (int i = 0; i < n; i++) {
                widths[i] = random.nextInt(65);
                values[i] = widths[i] == 64 ? random.nextLong() : random.nextLong() & ((1L << widths[i]) - 1);
                out.writeBits(values[i] | (widths[i] < 64 ? random.nextLong() << widths[i] : 0), widths[i]);
                expectedBits += widths[i];
            }
            assertEquals(expectedBits, out.bitsWritten());
            byte[] bytes = out.toByteArray();
            assertEquals((expectedBits + 7) / 8, bytes.length);
            BitReader in = new BitReader();
            in.reset(bytes);
            for (int i = 0; i < n; i++) {
                assertEquals(values[i], in.readBits(widths[i]), "field " + i + " width " + widths[i]);
            }
            in.expectEnd();
        }
    }

    @Test
    void readingPastTheEndThrows() {
        BitWriter out = new BitWriter(1);
        out.writeBits(0b101, 3);
        BitReader in = new BitReader();
        in.reset(out.toByteArray());
        assertEquals(0b10100, in.readBits(5));
        assertEquals(0b000, in.readBits(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, in::readBit);
        assertTrue(e.getMessage().contains("truncated at bit 8"), e.getMessage());
        in.reset(new byte[] {-1, -1});
        assertThrows(IllegalArgumentException.class, () -> in.readOnes(20));
        in.reset(new byte[] {0, 0});
        assertThrows(IllegalArgumentException.class, () -> in.countZeros(40));
    }

    @Test
    void varintsAndZigZagCoverExtremes() {
        long[] samples = {0, 1, -1, 63, -64, 64, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, 1L << 62, -(1L << 62)};
        BitWriter out = new BitWriter(1);
        for (long s : samples) {
            out.writeZigZagVarint(s);
            out.writeVarint(s);
            out.writeBit(true); // unaligned varints must work as well
        }
        BitReader in = new BitReader();
        in.reset(out.toByteArray());
        for (long s : samples) {
            assertEquals(s, in.readZigZagVarint());
            assertEquals(s, in.readVarint());
            assertTrue(in.readBit());
            assertEquals(s, ZigZag.decode(ZigZag.encode(s)));
        }
        assertEquals(0, ZigZag.encode(0));
        assertEquals(1, ZigZag.encode(-1));
        assertEquals(2, ZigZag.encode(1));
    }

    @Test
    void riceCodesRoundTripIncludingEscapes() {
        Random random = new Random(7);
        long[] u = new long[5000];
        for (int i = 0; i < u.length; i++) {
            u[i] = switch (i % 5) {
                case 0 -> random.nextInt(100);
                case 1 -> random.nextLong();
                case 2 -> -1L; // all ones: the zigzag of Long.MIN_VALUE
                case 3 -> 1L << random.nextInt(64);
                default -> random.nextLong() >>> random.nextInt(64);
            };
        }
        for (int k = 0; k < 64; k += 3) {
            BitWriter out = new BitWriter(1);
            for (long v : u) {
                RiceCode.write(out, v, k);
            }
            assertEquals(RiceCode.cost(u, 0, u.length, k), out.bitsWritten(), "cost for k=" + k);
            BitReader in = new BitReader();
            in.reset(out.toByteArray());
            for (long v : u) {
                assertEquals(v, RiceCode.read(in, k));
            }
            in.expectEnd();
        }
    }

    @Test
    void riceParameterIsTheCheapest() {
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            double sigma = Math.pow(10, random.nextInt(9));
            long[] u = new long[500];
            for (int i = 0; i < u.length; i++) {
                u[i] = ZigZag.encode(Math.round(random.nextGaussian() * sigma));
            }
            u[random.nextInt(u.length)] = random.nextLong(); // an outlier, like a counter reset
            long best = RiceCode.bestParameter(u, 0, u.length);
            long bruteForce = Long.MAX_VALUE;
            for (int k = 0; k < 64; k++) {
                bruteForce = Math.min(bruteForce, RiceCode.cost(u, 0, u.length, k));
            }
            assertEquals(bruteForce, best >>> 6, "seed " + seed);
            assertEquals(bruteForce, RiceCode.cost(u, 0, u.length, (int) (best & 63)));
        }
    }
}
