package io.tidemark.storage.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Chunk sizes and codec speed on the W2 workload (shared/bench/gen_w1.py --hosts 200 --rounds 720: 20,000 series ×
 * 720 samples at 10 s), one 2-hour chunk per series. The generator logic is ported from gen_w1.py (per-series random
 * walk gauges of five kinds, rounded to 2 decimals) with java.util.Random(42): same distributions, not the same
 * numbers. Not a JUnit test (keeps the suite fast); run:
 *
 * <pre>
 * ./mvnw -B -q -o test-compile
 * java -Xmx2g -cp target/classes:target/test-classes io.tidemark.storage.chunk.W2CodecSizeMeasurement
 * </pre>
 * With {@code --values FILE} it reads the exact values of gen_w1.py instead (written by load/w2_values.py: 720 rounds
 * × 20,000 series, round-major, little-endian float64).
 */
public final class W2CodecSizeMeasurement {
    private static final long T0_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final int METRICS = 100;
    private static final String[] KINDS = {"percent", "load", "latency ms", "bytes", "flat gauge"};

    private W2CodecSizeMeasurement() {
    }

    public static void main(String[] args) throws IOException {
        int hosts = 200;
        int rounds = 720;
        int seriesCount = hosts * METRICS;
        long[] ts = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            ts[r] = T0_MS + 10_000L * r;
        }
        double[][] values;
        if (args.length == 2 && args[0].equals("--values")) {
            values = read(Path.of(args[1]), seriesCount, rounds);
            System.out.println("values from " + args[1]);
        } else {
            values = generate(seriesCount, rounds);
            System.out.println("values from the Java port of gen_w1.py (Random(42))");
        }
        long samples = (long) seriesCount * rounds;

        long gorillaBytes = 0;
        long decimalBytes = 0;
        long bestBytes = 0;
        int notDecimal = 0;
        int[] chosen = new int[ChunkEncoding.values().length];
        int deltaOfDeltaOrder = 0;
        long[] kindBytes = new long[5];
        byte[][] chunks = new byte[seriesCount][];
        for (int s = 0; s < seriesCount; s++) {
            byte[] best = ChunkCodec.encode(ts, values[s], rounds);
            chunks[s] = best;
            bestBytes += best.length;
            kindBytes[(s % METRICS) % 5] += best.length;
            DecodedChunk decoded = ChunkCodec.decode(best);
            for (int r = 0; r < rounds; r++) {
                if (decoded.timestamps()[r] != ts[r] || Double.doubleToRawLongBits(decoded.values()[r])
                        != Double.doubleToRawLongBits(values[s][r])) {
                    throw new AssertionError("series " + s + " point " + r + " does not round-trip");
                }
            }
            ChunkEncoding encoding = ChunkCodec.encodingOf(best);
            chosen[encoding.ordinal()]++;
            if (encoding == ChunkEncoding.DECIMAL && (best[decimalOrderOffset(best)] & 0xC0) != 0) {
                deltaOfDeltaOrder++;
            }
            gorillaBytes += ChunkCodec.encode(ts, values[s], rounds, ChunkEncoding.GORILLA).length;
            try {
                decimalBytes += ChunkCodec.encode(ts, values[s], rounds, ChunkEncoding.DECIMAL).length;
            } catch (IllegalArgumentException e) {
                notDecimal++;
                decimalBytes += ChunkCodec.encode(ts, values[s], rounds, ChunkEncoding.GORILLA).length;
            }
        }
        System.out.printf("W2: %,d series x %,d samples = %,d samples%n", seriesCount, rounds, samples);
        System.out.printf("bytes/sample  Gorilla only %.3f   Decimal only %.3f%s   best per chunk %.3f%n",
                (double) gorillaBytes / samples, (double) decimalBytes / samples,
                notDecimal > 0 ? " (" + notDecimal + " chunks not decimal, Gorilla)" : "", (double) bestBytes / samples);
        System.out.printf("chosen: GORILLA %d, DECIMAL %d (delta-of-delta order %d), CONSTANT %d%n",
                chosen[ChunkEncoding.GORILLA.ordinal()], chosen[ChunkEncoding.DECIMAL.ordinal()], deltaOfDeltaOrder,
                chosen[ChunkEncoding.CONSTANT.ordinal()]);
        for (int k = 0; k < 5; k++) {
            System.out.printf("  kind %d %-10s best %.3f B/sample%n", k, KINDS[k],
                    (double) kindBytes[k] / (samples / 5));
        }

        // speed, single thread: best-of-5 passes over all series after a warm-up pass
        long encodeNanos = Long.MAX_VALUE;
        long readNanos = Long.MAX_VALUE;
        long decodeNanos = Long.MAX_VALUE;
        double checksum = 0;
        ChunkReader reader = new ChunkReader();
        for (int pass = 0; pass < 6; pass++) {
            long t = System.nanoTime();
            long sink = 0;
            for (int s = 0; s < seriesCount; s++) {
                sink += ChunkCodec.encode(ts, values[s], rounds).length;
            }
            long encode = System.nanoTime() - t;
            t = System.nanoTime();
            double sum = 0;
            for (byte[] chunk : chunks) {
                reader.reset(chunk);
                while (reader.next()) {
                    sum += reader.value() + reader.timestamp();
                }
            }
            long read = System.nanoTime() - t;
            t = System.nanoTime();
            for (byte[] chunk : chunks) {
                sum += ChunkCodec.decode(chunk).values()[rounds - 1];
            }
            long decode = System.nanoTime() - t;
            checksum += sum + sink;
            if (pass > 0) {
                encodeNanos = Math.min(encodeNanos, encode);
                readNanos = Math.min(readNanos, read);
                decodeNanos = Math.min(decodeNanos, decode);
            }
        }
        System.out.printf("encode (best choice)       %,.0f samples/s%n", samples * 1e9 / encodeNanos);
        System.out.printf("decode (ChunkReader loop)  %,.0f samples/s%n", samples * 1e9 / readNanos);
        System.out.printf("decode (to arrays)         %,.0f samples/s%n", samples * 1e9 / decodeNanos);
        System.out.println("(checksum " + checksum + ")");
    }

    /** Byte offset of the DECIMAL order/parameter byte, for the statistics. */
    private static int decimalOrderOffset(byte[] chunk) {
        BitReader in = new BitReader();
        in.reset(chunk);
        in.readByte();
        in.readVarint();
        in.readVarint();
        in.readVarint();
        in.readByte();
        return (int) (in.position() >>> 3);
    }

    /** gen_w1.py's value model: per-series random walk of one of five kinds, clamped, rounded to 2 decimals. */
    static double[][] generate(int seriesCount, int rounds) {
        Random random = new Random(42);
        double[] value = new double[seriesCount];
        double[] sigma = new double[seriesCount];
        double[] lo = new double[seriesCount];
        double[] hi = new double[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            switch ((s % METRICS) % 5) {
                case 0 -> set(s, value, sigma, lo, hi, uniform(random, 5, 95), 0.8, 0.0, 100.0);
                case 1 -> set(s, value, sigma, lo, hi, uniform(random, 0.1, 8), 0.05, 0.0, 64.0);
                case 2 -> set(s, value, sigma, lo, hi, uniform(random, 1, 400), 3.0, 0.1, 1e5);
                case 3 -> set(s, value, sigma, lo, hi, uniform(random, 1e8, 3e10), 2e6, 0.0, 1e12);
                default -> set(s, value, sigma, lo, hi, 1 + random.nextInt(500), 0.3, 0.0, 1e6);
            }
        }
        double[][] out = new double[seriesCount][rounds];
        for (int s = 0; s < seriesCount; s++) {
            double v = value[s];
            for (int r = 0; r < rounds; r++) {
                v = Math.min(hi[s], Math.max(lo[s], v + random.nextGaussian() * sigma[s]));
                out[s][r] = Math.round(v * 100) / 100.0; // Python's round(v, 2)
            }
        }
        return out;
    }

    private static double[][] read(Path file, int seriesCount, int rounds) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() != 8L * seriesCount * rounds) {
            throw new IllegalArgumentException(file + ": expected " + 8L * seriesCount * rounds + " bytes");
        }
        double[][] out = new double[seriesCount][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < seriesCount; s++) {
                out[s][r] = bytes.getDouble();
            }
        }
        return out;
    }

    private static double uniform(Random random, double a, double b) {
        return a + (b - a) * random.nextDouble();
    }

    private static void set(int s, double[] value, double[] sigma, double[] lo, double[] hi, double v, double sg,
            double l, double h) {
        value[s] = v;
        sigma[s] = sg;
        lo[s] = l;
        hi[s] = h;
    }
}
