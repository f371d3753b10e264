package io.tidemark.storage.chunk;

/**
 * Reads bits most-significant first from a byte array. Reading past the end throws
 * {@link IllegalArgumentException} ("chunk truncated at bit N"), so corrupt input cannot loop or run on.
 */
final class BitReader {
    private byte[] data;
    private int nextByte;
    /** Buffered bits, left-aligned: the top {@code available} bits are the next ones to read. */
    private long window;
    private int available;

    BitReader() {
        reset(new byte[0]);
    }

    void reset(byte[] bytes) {
        data = bytes;
        nextByte = 0;
        window = 0;
        available = 0;
    }

    /** Bits consumed so far. */
    long position() {
        return (long) nextByte * 8 - available;
    }

    long totalBits() {
        return (long) data.length * 8;
    }

    long remainingBits() {
        return totalBits() - position();
    }

    boolean readBit() {
        if (available == 0) {
            refill();
            if (available == 0) {
                throw truncated();
            }
        }
        boolean bit = window < 0;
        window <<= 1;
        available--;
        return bit;
    }

    /** Reads {@code n} bits (0 ≤ n ≤ 64) as an unsigned value. */
    long readBits(int n) {
        if (n > 56) {
            long high = readBits(n - 32);
            return (high << 32) | readBits(32);
        }
        if (n == 0) {
            return 0;
        }
        if (available < n) {
            refill();
            if (available < n) {
                throw truncated();
            }
        }
        long value = window >>> (64 - n);
        window <<= n;
        available -= n;
        return value;
    }

    /** Reads {@code n} bits as a two's-complement signed value (1 ≤ n ≤ 64). */
    long readSignedBits(int n) {
        long raw = readBits(n);
        int shift = 64 - n;
        return (raw << shift) >> shift;
    }

    /**
     * Counts one-bits up to the first zero-bit (which is consumed) or until {@code max} ones were read (then no
     * terminator is consumed).
     */
    int readOnes(int max) {
        int ones = 0;
        while (ones < max) {
            if (available == 0) {
                refill();
                if (available == 0) {
                    throw truncated();
                }
            }
            int run = Long.numberOfLeadingZeros(~window);
            if (run > available) {
                run = available;
            }
            if (run > max - ones) {
                run = max - ones;
            }
            window <<= run;
            available -= run;
            ones += run;
            if (ones == max) {
                return ones;
            }
            if (available > 0) {
                window <<= 1; // the terminating zero
                available--;
                return ones;
            }
        }
        return ones;
    }

    /** Counts zero-bits up to the first one-bit (not consumed); at most {@code max}. */
    int countZeros(int max) {
        int zeros = 0;
        while (true) {
            if (available == 0) {
                refill();
                if (available == 0) {
                    throw truncated();
                }
            }
            int run = Long.numberOfLeadingZeros(window);
            if (run >= available) {
                run = available;
            }
            if (zeros + run > max) {
                throw new IllegalArgumentException("corrupt chunk: more than " + max + " zero bits at bit " + position());
            }
            window <<= run;
            available -= run;
            zeros += run;
            if (available > 0) {
                return zeros;
            }
        }
    }

    int readByte() {
        return (int) readBits(8);
    }

    /** Unsigned LEB128, at most 10 bytes. */
    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("corrupt chunk: varint longer than 10 bytes at bit " + position());
    }

    long readZigZagVarint() {
        return ZigZag.decode(readVarint());
    }

    /** Checks that only zero padding (less than a byte) is left. */
    void expectEnd() {
        refill();
        if (nextByte < data.length || available >= 8 || (available > 0 && window != 0)) {
            throw new IllegalArgumentException("corrupt chunk: unexpected data after bit " + position()
                    + " of " + totalBits());
        }
    }

    IllegalArgumentException truncated() {
        return new IllegalArgumentException("chunk truncated at bit " + position() + " (chunk has " + totalBits()
                + " bits)");
    }

    private void refill() {
        while (available <= 56 && nextByte < data.length) {
            window |= (data[nextByte++] & 0xFFL) << (56 - available);
            available += 8;
        }
    }
}
