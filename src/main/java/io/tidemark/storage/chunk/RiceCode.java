package io.tidemark.storage.chunk;

/**
 * Golomb-Rice code with parameter {@code k} for unsigned values (zigzag-mapped deltas): the quotient
 * {@code u >>> k} in unary (that many one-bits, then a zero-bit), followed by the {@code k} low bits. Quotients of
 * {@value #ESCAPE_ONES} or more are escaped: {@value #ESCAPE_ONES} one-bits, 6 bits holding {@code bitLength - 1},
 * then the value's bits below its top one-bit. For roughly Gaussian deltas the best {@code k} costs only ~0.1–0.2
 * bit above the entropy.
 */
final class RiceCode {
    static final int ESCAPE_ONES = 20;

    private RiceCode() {
    }

    static void write(BitWriter out, long u, int k) {
        long q = u >>> k;
        if (q >= 0 && q < ESCAPE_ONES) { // q < 0: k = 0 and the top bit set
            out.writeBits((1L << (q + 1)) - 2, (int) q + 1); // q ones, then a zero
            out.writeBits(u, k);
        } else {
            int bitLength = 64 - Long.numberOfLeadingZeros(u);
            out.writeOnes(ESCAPE_ONES);
            out.writeBits(bitLength - 1, 6);
            out.writeBits(u, bitLength - 1);
        }
    }

    static long read(BitReader in, int k) {
        int q = in.readOnes(ESCAPE_ONES);
        if (q < ESCAPE_ONES) {
            return ((long) q << k) | in.readBits(k);
        }
        int bitLength = (int) in.readBits(6) + 1;
        return (1L << (bitLength - 1)) | in.readBits(bitLength - 1);
    }

    static long cost(long u, int k) {
        long q = u >>> k;
        if (q >= 0 && q < ESCAPE_ONES) { // q < 0: k = 0 and the top bit set
            return q + 1 + k;
        }
        return ESCAPE_ONES + 6 + 63 - Long.numberOfLeadingZeros(u);
    }

    /** Exact bit cost of values {@code u[from..to)} with parameter k. */
    static long cost(long[] u, int from, int to, int k) {
        long bits = 0;
        for (int i = from; i < to; i++) {
            bits += cost(u[i], k);
        }
        return bits;
    }

    /**
     * The cheapest parameter for {@code u[from..to)}, as {@code (bits << 6) | k}. A bit-length histogram gives an
     * estimate per k; the exact cost is then computed for the best estimate and its neighbours.
     */
    static long bestParameter(long[] u, int from, int to) {
        if (from >= to) {
            return 0;
        }
        long[] histogram = new long[65];
        for (int i = from; i < to; i++) {
            histogram[64 - Long.numberOfLeadingZeros(u[i])]++;
        }
        int estimate = 0;
        double estimateBits = Double.MAX_VALUE;
        for (int k = 0; k < 64; k++) {
            double bits = 0;
            for (int b = 0; b <= 64; b++) {
                if (histogram[b] == 0) {
                    continue;
                }
                // a value of bit length b lies in [2^(b-1), 2^b): take the middle, 0.75 * 2^b
                double q = b <= k ? 0 : 0.75 * Math.scalb(1.0, b - k);
                bits += histogram[b] * (q < ESCAPE_ONES ? q + 1 + k : ESCAPE_ONES + 6 + b - 1);
            }
            if (bits < estimateBits) {
                estimateBits = bits;
                estimate = k;
            }
        }
        long best = Long.MAX_VALUE;
        for (int k = Math.max(0, estimate - 1); k <= Math.min(63, estimate + 1); k++) {
            long bits = cost(u, from, to, k);
            if (bits < (best >>> 6)) {
                best = (bits << 6) | k;
            }
        }
        return best;
    }
}
