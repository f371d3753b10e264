package io.tidemark.storage.chunk;

/**
 * Encodes one series' samples of a block (strictly increasing millisecond timestamps, float64 values) into a compact
 * chunk and back. Values are bit-exact: every NaN payload (e.g. Prometheus' staleness marker
 * {@code 0x7ff0000000000002}), ±Inf and -0.0 survive unchanged.
 *
 * <p>Byte layout; varints are unsigned LEB128, "zvarint" is a zigzag-mapped varint; after the header everything is
 * one bit stream, most significant bit first, zero-padded to a whole byte at the end:
 * <pre>
 * byte     format tag: 1 GORILLA, 2 DECIMAL, 3 CONSTANT (see {@link ChunkEncoding}); new formats get new tags
 * varint   count, 1..{@value #MAX_COUNT}
 * zvarint  timestamp of point 0
 * zvarint  timestamp delta from point 0 to 1                              (only if count ≥ 2)
 * then by format:
 *   GORILLA   8 bytes  bit pattern of value 0 (big-endian)
 *   CONSTANT  8 bytes  bit pattern of every value
 *   DECIMAL   byte     exponent e, signed, -22..22: value = mantissa × 10^e
 *             byte     order (top 2 bits: 0 = deltas, 1 = delta-of-deltas) | Rice parameter k (low 6 bits)
 *             zvarint  mantissa of value 0
 *             zvarint  mantissa delta from value 0 to 1                   (only for order 1 and count ≥ 2)
 * bit stream, for each point i = 1..count-1 in turn:
 *   timestamp code for i ≥ 2 ({@link TimestampCoder}: delta-of-delta buckets, runs of regular intervals)
 *   value code:
 *     GORILLA   XOR code against value i-1 ({@link GorillaValues})
 *     DECIMAL   Rice code (parameter k) of the zigzagged mantissa delta (order 0) or
 *               delta-of-delta (order 1, i ≥ 2) ({@link RiceCode})
 *     CONSTANT  nothing
 * zero bits up to the next byte boundary
 * </pre>
 * The encoder picks the smallest applicable encoding by exact bit counts: CONSTANT (only for identical bit patterns;
 * short chunks of identical values can be smaller as DECIMAL), DECIMAL (only when every value is finite, not -0.0 and
 * round-trips bit-exactly through a common exponent) or GORILLA (always applicable).
 * Decoding checks every read against the end of the input and throws {@link IllegalArgumentException} for truncated
 * or corrupt chunks.
 */
public final class ChunkCodec {
    /** Most points one chunk may hold (bounds what a corrupt count can make the decoder allocate). */
    public static final int MAX_COUNT = 1 << 22;

    static final int ORDER_DELTA = 0;
    static final int ORDER_DELTA_OF_DELTA = 1;

    private ChunkCodec() {
    }

    /** Encodes the first {@code count} samples with the smallest applicable encoding. */
    public static byte[] encode(long[] timestamps, double[] values, int count) {
        return encode(timestamps, values, count, null);
    }

    /**
     * Encodes with the given encoding, or the smallest one when {@code encoding} is null.
     *
     * @throws IllegalArgumentException if the encoding cannot represent these values exactly, or the input is invalid
     */
    public static byte[] encode(long[] timestamps, double[] values, int count, ChunkEncoding encoding) {
        validate(timestamps, values, count);
        boolean constant = allSameBits(values, count);
        if (encoding == ChunkEncoding.CONSTANT && !constant) {
            throw new IllegalArgumentException("CONSTANT needs identical values");
        }
        DecimalPlan decimal = null;
        if (encoding == null || encoding == ChunkEncoding.DECIMAL) {
            decimal = DecimalPlan.of(values, count);
            if (decimal == null && encoding == ChunkEncoding.DECIMAL) {
                throw new IllegalArgumentException("values are not exactly decimal (NaN, ±Inf, -0.0 or too many digits)");
            }
        }
        if (encoding == null) {
            // value bits after the shared timestamp header; the timestamp codes are the same for all encodings
            long constantBits = constant ? 64 : Long.MAX_VALUE;
            long decimalBits = decimal != null ? decimal.bits() : Long.MAX_VALUE;
            long gorillaBits = Math.min(constantBits, decimalBits) <= 64 + count - 1
                    ? Long.MAX_VALUE // Gorilla needs at least one bit per point
                    : 64 + GorillaValues.cost(values, count);
            if (constantBits <= decimalBits && constantBits <= gorillaBits) {
                encoding = ChunkEncoding.CONSTANT;
            } else if (decimalBits <= gorillaBits) {
                encoding = ChunkEncoding.DECIMAL;
            } else {
                encoding = ChunkEncoding.GORILLA;
            }
        }
        if (encoding == ChunkEncoding.CONSTANT) {
            BitWriter out = header(ChunkEncoding.CONSTANT, timestamps, count, 16);
            out.writeBits(Double.doubleToRawLongBits(values[0]), 64);
            writePoints(out, timestamps, count, (o, i) -> { });
            return out.toByteArray();
        }
        if (encoding == ChunkEncoding.GORILLA) {
            decimal = null;
        }
        if (decimal == null) {
            BitWriter out = header(ChunkEncoding.GORILLA, timestamps, count, 8 + count * 2);
            long first = Double.doubleToRawLongBits(values[0]);
            out.writeBits(first, 64);
            GorillaValues gorilla = new GorillaValues(first);
            writePoints(out, timestamps, count, (o, i) -> gorilla.write(o, Double.doubleToRawLongBits(values[i])));
            return out.toByteArray();
        }
        BitWriter out = header(ChunkEncoding.DECIMAL, timestamps, count, (int) (decimal.bits() >>> 3));
        out.writeByte(decimal.exponent);
        out.writeByte(decimal.order << 6 | decimal.riceParameter);
        out.writeZigZagVarint(decimal.mantissas[0]);
        if (decimal.order == ORDER_DELTA_OF_DELTA && count >= 2) {
            out.writeZigZagVarint(decimal.mantissas[1] - decimal.mantissas[0]);
        }
        long[] codes = decimal.codes;
        int k = decimal.riceParameter;
        int firstCoded = decimal.order == ORDER_DELTA_OF_DELTA ? 2 : 1;
        writePoints(out, timestamps, count, (o, i) -> {
            if (i >= firstCoded) {
                RiceCode.write(o, codes[i], k);
            }
        });
        return out.toByteArray();
    }

    /** Decodes a whole chunk into arrays. */
    public static DecodedChunk decode(byte[] chunk) {
        ChunkReader reader = new ChunkReader(chunk);
        long[] timestamps = new long[reader.count()];
        double[] values = new double[reader.count()];
        int i = 0;
        while (reader.next()) {
            timestamps[i] = reader.timestamp();
            values[i] = reader.value();
            i++;
        }
        return new DecodedChunk(reader.encoding(), timestamps, values);
    }

    /** The encoding named by a chunk's tag byte. */
    public static ChunkEncoding encodingOf(byte[] chunk) {
        if (chunk.length == 0) {
            throw new IllegalArgumentException("chunk truncated at bit 0 (chunk has 0 bits)");
        }
        return ChunkEncoding.ofTag(chunk[0] & 0xFF);
    }

    private static void validate(long[] timestamps, double[] values, int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be 1.." + MAX_COUNT + ", was " + count);
        }
        if (timestamps.length < count || values.length < count) {
            throw new IllegalArgumentException("arrays shorter than count " + count);
        }
        for (int i = 1; i < count; i++) {
            if (timestamps[i] <= timestamps[i - 1]) {
                throw new IllegalArgumentException("timestamps must strictly increase: point " + i + " has "
                        + timestamps[i] + " after " + timestamps[i - 1]);
            }
        }
    }

    private static boolean allSameBits(double[] values, int count) {
        long first = Double.doubleToRawLongBits(values[0]);
        for (int i = 1; i < count; i++) {
            if (Double.doubleToRawLongBits(values[i]) != first) {
                return false;
            }
        }
        return true;
    }

    private static BitWriter header(ChunkEncoding encoding, long[] timestamps, int count, int expectedBytes) {
        BitWriter out = new BitWriter(expectedBytes + 24);
        out.writeByte(encoding.tag());
        out.writeVarint(count);
        out.writeZigZagVarint(timestamps[0]);
        if (count >= 2) {
            out.writeZigZagVarint(timestamps[1] - timestamps[0]);
        }
        return out;
    }

    /** Writes one point's value code. */
    private interface ValueWriter {
        void write(BitWriter out, int point);
    }

    /** The per-point bit stream: timestamp code (points ≥ 2), then value code, for points 1..count-1. */
    private static void writePoints(BitWriter out, long[] timestamps, int count, ValueWriter values) {
        TimestampCoder times = new TimestampCoder();
        for (int i = 1; i < count; i++) {
            if (i >= 2) {
                times.write(out, timestamps, count, i);
            }
            values.write(out, i);
        }
    }

    static int varintBytes(long v) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
    }

    /** A decimal encoding of one chunk: exponent, mantissas and the cheaper of delta / delta-of-delta codes. */
    private static final class DecimalPlan {
        int exponent;
        long[] mantissas;
        int order;
        int riceParameter;
        /** Zigzagged Rice inputs per point (from point 1 for deltas, point 2 for delta-of-deltas). */
        long[] codes;
        /** Header (after the timestamps) plus stream bits. */
        long bits;

        static DecimalPlan of(double[] values, int count) {
            long[] mantissas = new long[count];
            int exponent = DecimalScaling.commonExponent(values, count, mantissas);
            if (exponent == DecimalScaling.NOT_DECIMAL) {
                return null;
            }
            DecimalPlan plan = new DecimalPlan();
            plan.exponent = exponent;
            plan.mantissas = mantissas;
            long[] deltas = new long[count];
            long[] dods = new long[count];
            for (int i = 1; i < count; i++) {
                long delta = mantissas[i] - mantissas[i - 1];
                deltas[i] = ZigZag.encode(delta);
                if (i >= 2) {
                    dods[i] = ZigZag.encode(delta - (mantissas[i - 1] - mantissas[i - 2]));
                }
            }
            long headerBits = 16 + 8L * varintBytes(ZigZag.encode(mantissas[0]));
            long deltaBest = RiceCode.bestParameter(deltas, 1, count);
            long dodBest = RiceCode.bestParameter(dods, 2, count);
            long deltaBits = deltaBest >>> 6;
            long dodBits = (dodBest >>> 6) + (count >= 2 ? 8L * varintBytes(deltas[1]) : 0);
            if (dodBits < deltaBits) {
                plan.order = ORDER_DELTA_OF_DELTA;
                plan.riceParameter = (int) (dodBest & 63);
                plan.codes = dods;
                plan.bits = headerBits + dodBits;
            } else {
                plan.order = ORDER_DELTA;
                plan.riceParameter = (int) (deltaBest & 63);
                plan.codes = deltas;
                plan.bits = headerBits + deltaBits;
            }
            return plan;
        }

        long bits() {
            return bits;
        }
    }
}
