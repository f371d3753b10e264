package io.tidemark.storage.chunk;

/**
 * Gorilla value coding of one value after the first, against the previous value's bit pattern:
 * <pre>
 * '0'                               XOR is zero (same value)
 * '10' + bits                       XOR fits the previous window: its (64 - leading - trailing) meaningful bits
 * '11' + 5 bits leading zeros (≤31) + 6 bits meaningful length (64 written as 0) + the meaningful bits
 * </pre>
 */
final class GorillaValues {
    private long previous;
    /** The current window; -1 until the first non-zero XOR. */
    private int leading = -1;
    private int trailing;

    GorillaValues(long firstBits) {
        restart(firstBits);
    }

    void restart(long firstBits) {
        previous = firstBits;
        leading = -1;
        trailing = 0;
    }

    void write(BitWriter out, long bits) {
        long xor = bits ^ previous;
        previous = bits;
        if (xor == 0) {
            out.writeBit(false);
            return;
        }
        int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
        int trail = Long.numberOfTrailingZeros(xor);
        if (leading >= 0 && lead >= leading && trail >= trailing) {
            out.writeBits(0b10, 2);
            out.writeBits(xor >>> trailing, 64 - leading - trailing);
        } else {
            int meaningful = 64 - lead - trail;
            out.writeBits(0b11, 2);
            out.writeBits(lead, 5);
            out.writeBits(meaningful, 6); // 64 wraps to 0
            out.writeBits(xor >>> trail, meaningful);
            leading = lead;
            trailing = trail;
        }
    }

    long read(BitReader in) {
        if (!in.readBit()) {
            return previous;
        }
        if (in.readBit()) {
            int lead = (int) in.readBits(5);
            int meaningful = (int) in.readBits(6);
            if (meaningful == 0) {
                meaningful = 64;
            }
            int trail = 64 - lead - meaningful;
            if (trail < 0) {
                throw new IllegalArgumentException("corrupt chunk: XOR window " + lead + "+" + meaningful
                        + " bits at bit " + in.position());
            }
            leading = lead;
            trailing = trail;
        } else if (leading < 0) {
            throw new IllegalArgumentException("corrupt chunk: XOR window reused before one was set, at bit "
                    + in.position());
        }
        long xor = in.readBits(64 - leading - trailing) << trailing;
        previous ^= xor;
        return previous;
    }

    /** Bits that {@link #write} would use for {@code values[1..count)}. */
    static long cost(double[] values, int count) {
        long previous = Double.doubleToRawLongBits(values[0]);
        int leading = -1;
        int trailing = 0;
        long bits = 0;
        for (int i = 1; i < count; i++) {
            long current = Double.doubleToRawLongBits(values[i]);
            long xor = current ^ previous;
            previous = current;
            if (xor == 0) {
                bits += 1;
                continue;
            }
            int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
            int trail = Long.numberOfTrailingZeros(xor);
            if (leading >= 0 && lead >= leading && trail >= trailing) {
                bits += 2 + 64 - leading - trailing;
            } else {
                bits += 2 + 5 + 6 + 64 - lead - trail;
                leading = lead;
                trailing = trail;
            }
        }
        return bits;
    }
}
