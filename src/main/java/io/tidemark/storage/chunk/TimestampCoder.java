package io.tidemark.storage.chunk;

/**
 * Delta-of-delta timestamp codes (milliseconds) for points 2 and later; points 0 and 1 come from the chunk header.
 * <pre>
 * '0'     + Elias-gamma run length L ≥ 1   the next L points all have delta-of-delta 0
 * '10'    +  6 bits signed                 [-32, 31]            (scrape jitter)
 * '110'   + 13 bits signed                 [-4096, 4095]
 * '1110'  + 20 bits signed                 [-524288, 524287]    (~±8.7 min)
 * '11110' + 32 bits signed
 * '11111' + 64 bits                        anything (arithmetic wraps, so any long sequence round-trips)
 * </pre>
 * Elias gamma: floor(log2 L) zero-bits, then L in binary (its top bit is 1). A fully regular 720-point chunk costs
 * 19 bits of timestamps in total.
 */
final class TimestampCoder {
    private static final int[] WIDTHS = {0, 6, 13, 20, 32, 64};
    /** Longest Elias-gamma prefix accepted when reading: runs never exceed {@link ChunkCodec#MAX_COUNT}. */
    private static final int MAX_RUN_PREFIX = 31;

    private long timestamp;
    private long delta;
    private int zeroRunLeft;

    /** Starts after point 1: {@code timestamp} is point 1's, {@code delta} the one from point 0 to 1. */
    void start(long timestampOfPoint1, long firstDelta) {
        timestamp = timestampOfPoint1;
        delta = firstDelta;
        zeroRunLeft = 0;
    }

    /** Writes point {@code i} (≥ 2) of {@code ts}. */
    void write(BitWriter out, long[] ts, int count, int i) {
        long d = ts[i] - ts[i - 1];
        long dod = d - (ts[i - 1] - ts[i - 2]);
        if (zeroRunLeft > 0) {
            zeroRunLeft--;
            return;
        }
        if (dod == 0) {
            int run = 1;
            while (i + run < count && (ts[i + run] - ts[i + run - 1]) == d) {
                run++;
            }
            out.writeBit(false);
            int floorLog = 31 - Integer.numberOfLeadingZeros(run);
            out.writeBits(0, floorLog);
            out.writeBits(run, floorLog + 1);
            zeroRunLeft = run - 1;
            return;
        }
        int bucket = 1;
        while (bucket < 5 && !fitsSigned(dod, WIDTHS[bucket])) {
            bucket++;
        }
        out.writeOnes(bucket);
        if (bucket < 5) {
            out.writeBit(false);
        }
        out.writeBits(dod, WIDTHS[bucket]);
    }

    /** Reads point {@code i}'s timestamp (i ≥ 2). */
    long read(BitReader in, int count, int i) {
        if (zeroRunLeft > 0) {
            zeroRunLeft--;
        } else {
            int bucket = in.readOnes(5);
            if (bucket == 0) {
                int floorLog = in.countZeros(MAX_RUN_PREFIX);
                long run = in.readBits(floorLog + 1);
                if (run > count - i) {
                    throw new IllegalArgumentException("corrupt chunk: run of " + run + " regular timestamps at point "
                            + i + " exceeds the " + count + " points, at bit " + in.position());
                }
                zeroRunLeft = (int) run - 1;
            } else {
                delta += in.readSignedBits(WIDTHS[bucket]);
            }
        }
        long next = timestamp + delta;
        if (next <= timestamp) {
            throw new IllegalArgumentException("corrupt chunk: timestamp of point " + i + " does not increase, at bit "
                    + in.position());
        }
        timestamp = next;
        return next;
    }

    private static boolean fitsSigned(long v, int bits) {
        return v >= -(1L << (bits - 1)) && v < (1L << (bits - 1));
    }
}
