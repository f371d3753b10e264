package io.tidemark.storage.chunk;

/** How a chunk's values are encoded; {@link #tag()} is the chunk's first byte. */
public enum ChunkEncoding {
    /** XOR of consecutive values' bit patterns with leading/trailing-zero windows (Facebook Gorilla). */
    GORILLA(1),
    /** Values as {@code mantissa × 10^exponent}, mantissa deltas or delta-of-deltas Rice-coded. */
    DECIMAL(2),
    /** Every value has the same bit pattern, stored once. */
    CONSTANT(3);

    private final int tag;

    ChunkEncoding(int tag) {
        this.tag = tag;
    }

    public int tag() {
        return tag;
    }

    static ChunkEncoding ofTag(int tag) {
        for (ChunkEncoding e : values()) {
            if (e.tag == tag) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown chunk format tag " + tag);
    }
}
