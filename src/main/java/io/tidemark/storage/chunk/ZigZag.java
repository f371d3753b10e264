package io.tidemark.storage.chunk;

/** Maps signed longs to unsigned ones so that small magnitudes get small codes: 0→0, -1→1, 1→2, -2→3, … */
final class ZigZag {
    private ZigZag() {
    }

    static long encode(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long decode(long u) {
        return (u >>> 1) ^ -(u & 1);
    }
}
