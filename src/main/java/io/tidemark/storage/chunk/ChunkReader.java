package io.tidemark.storage.chunk;

/**
 * Streams through a chunk point by point without allocating per point; {@link #reset} reuses the reader for the
 * next chunk. Format: see {@link ChunkCodec}.
 *
 * <pre>
 * ChunkReader r = new ChunkReader();
 * r.reset(bytes);
 * while (r.next()) { use(r.timestamp(), r.value()); }
 * </pre>
 * Corrupt or truncated input throws {@link IllegalArgumentException}, at the latest from the {@code next()} that
 * would return false (it checks that nothing but padding follows the last point).
 */
public final class ChunkReader {
    private final BitReader in = new BitReader();
    private final TimestampCoder times = new TimestampCoder();
    private ChunkEncoding encoding;
    private int count;
    private int index;
    private long timestamp;
    private double value;
    private boolean finished;

    // point 0 and 1 from the header
    private long firstTimestamp;
    private long firstDelta;
    // GORILLA and CONSTANT
    private GorillaValues gorilla;
    private long firstValueBits;
    // DECIMAL
    private int exponent;
    private int order;
    private int riceParameter;
    private long mantissa;
    private long mantissaDelta;

    public ChunkReader() {
    }

    public ChunkReader(byte[] chunk) {
        reset(chunk);
    }

    /** Starts reading {@code chunk}; parses and checks its header. */
    public ChunkReader reset(byte[] chunk) {
        encoding = null;
        try {
            readHeader(chunk);
        } catch (RuntimeException e) {
            encoding = null; // unusable until the next successful reset
            throw e;
        }
        return this;
    }

    private void readHeader(byte[] chunk) {
        in.reset(chunk);
        encoding = ChunkEncoding.ofTag(in.readByte());
        long n = in.readVarint();
        if (n < 1 || n > ChunkCodec.MAX_COUNT) {
            throw new IllegalArgumentException("corrupt chunk: count " + n + " outside 1.." + ChunkCodec.MAX_COUNT);
        }
        count = (int) n;
        index = -1;
        finished = false;
        firstTimestamp = in.readZigZagVarint();
        firstDelta = count >= 2 ? in.readZigZagVarint() : 0;
        switch (encoding) {
            case GORILLA -> {
                firstValueBits = in.readBits(64);
                if (gorilla == null) {
                    gorilla = new GorillaValues(firstValueBits);
                } else {
                    gorilla.restart(firstValueBits);
                }
            }
            case CONSTANT -> firstValueBits = in.readBits(64);
            case DECIMAL -> {
                exponent = (byte) in.readByte();
                if (Math.abs(exponent) > DecimalScaling.MAX_EXPONENT) {
                    throw new IllegalArgumentException("corrupt chunk: decimal exponent " + exponent);
                }
                int orderAndParameter = in.readByte();
                order = orderAndParameter >>> 6;
                riceParameter = orderAndParameter & 63;
                if (order > ChunkCodec.ORDER_DELTA_OF_DELTA) {
                    throw new IllegalArgumentException("corrupt chunk: unknown decimal order " + order);
                }
                mantissa = in.readZigZagVarint();
                mantissaDelta = order == ChunkCodec.ORDER_DELTA_OF_DELTA && count >= 2 ? in.readZigZagVarint() : 0;
            }
            default -> throw new IllegalStateException();
        }
        // points 2.. cost at least one value bit each, except with CONSTANT values
        if (encoding != ChunkEncoding.CONSTANT && count - 2 > in.remainingBits()) {
            throw new IllegalArgumentException("chunk truncated: " + count + " points cannot fit in "
                    + in.totalBits() + " bits");
        }
    }

    public ChunkEncoding encoding() {
        return encoding;
    }

    public int count() {
        return count;
    }

    /** Advances to the next point; false (after checking the chunk's end) when all points were read. */
    public boolean next() {
        if (encoding == null) {
            throw new IllegalStateException("no chunk: call reset first");
        }
        if (index + 1 >= count) {
            if (!finished) {
                in.expectEnd();
                finished = true;
            }
            return false;
        }
        int i = ++index;
        if (i == 0) {
            timestamp = firstTimestamp;
            value = encoding == ChunkEncoding.DECIMAL
                    ? DecimalScaling.toDouble(mantissa, exponent)
                    : Double.longBitsToDouble(firstValueBits);
            return true;
        }
        if (i == 1) {
            timestamp = firstTimestamp + firstDelta;
            if (timestamp <= firstTimestamp) {
                throw new IllegalArgumentException("corrupt chunk: timestamp of point 1 does not increase");
            }
            times.start(timestamp, firstDelta);
        } else {
            timestamp = times.read(in, count, i);
        }
        switch (encoding) {
            case GORILLA -> value = Double.longBitsToDouble(gorilla.read(in));
            case CONSTANT -> { }
            case DECIMAL -> {
                if (order == ChunkCodec.ORDER_DELTA) {
                    mantissa += ZigZag.decode(RiceCode.read(in, riceParameter));
                } else {
                    if (i >= 2) {
                        mantissaDelta += ZigZag.decode(RiceCode.read(in, riceParameter));
                    }
                    mantissa += mantissaDelta;
                }
                value = DecimalScaling.toDouble(mantissa, exponent);
            }
            default -> throw new IllegalStateException();
        }
        return true;
    }

    /** Timestamp (epoch ms) of the current point. */
    public long timestamp() {
        return timestamp;
    }

    /** Value of the current point, bit-exact as encoded. */
    public double value() {
        return value;
    }
}
