package io.tidemark.storage.chunk;

import java.util.Arrays;

/**
 * Appends bits most-significant first to a growing byte array. Byte-sized fields (tags, varints) are written
 * through the same stream, so one writer produces a whole chunk.
 */
final class BitWriter {
    private byte[] buffer;
    private int bytes;
    /** Pending bits, left-aligned: the top {@code pendingBits} bits are valid. */
    private long pending;
    private int pendingBits;

    BitWriter(int expectedBytes) {
        buffer = new byte[Math.max(16, expectedBytes)];
    }

    void writeBit(boolean bit) {
        writeBits(bit ? 1 : 0, 1);
    }

    /** Writes the low {@code n} bits of {@code value} (0 ≤ n ≤ 64), highest first. */
    void writeBits(long value, int n) {
        if (n == 0) {
            return;
        }
        if (n < 64) {
            value &= (1L << n) - 1;
        }
        int free = 64 - pendingBits;
        if (n < free) {
            pending |= value << (free - n);
            pendingBits += n;
        } else if (n == free) {
            pending |= value;
            flushPending();
        } else {
            int rest = n - free; // 1..63
            pending |= value >>> rest;
            flushPending();
            pending = value << (64 - rest);
            pendingBits = rest;
        }
    }

    /** Writes {@code count} one-bits (count ≥ 0). */
    void writeOnes(int count) {
        while (count >= 63) {
            writeBits(-1L, 63);
            count -= 63;
        }
        writeBits(-1L, count);
    }

    void writeByte(int b) {
        writeBits(b, 8);
    }

    /** Unsigned LEB128. */
    void writeVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        writeByte((int) value);
    }

    void writeZigZagVarint(long value) {
        writeVarint(ZigZag.encode(value));
    }

    long bitsWritten() {
        return (long) bytes * 8 + pendingBits;
    }

    /** The written bits, zero-padded to a whole byte. */
    byte[] toByteArray() {
        int tail = (pendingBits + 7) >>> 3;
        byte[] out = Arrays.copyOf(buffer, bytes + tail);
        long p = pending;
        for (int i = 0; i < tail; i++) {
            out[bytes + i] = (byte) (p >>> 56);
            p <<= 8;
        }
        return out;
    }

    private void flushPending() {
        if (bytes + 8 > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, bytes + 8));
        }
        long p = pending;
        for (int i = 0; i < 8; i++) {
            buffer[bytes + i] = (byte) (p >>> 56);
            p <<= 8;
        }
        bytes += 8;
        pending = 0;
        pendingBits = 0;
    }
}
