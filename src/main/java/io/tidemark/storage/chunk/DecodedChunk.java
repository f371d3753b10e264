package io.tidemark.storage.chunk;

/** A fully decoded chunk: {@code timestamps[i]} and {@code values[i]} for each of the {@code count()} points. */
public record DecodedChunk(ChunkEncoding encoding, long[] timestamps, double[] values) {
    public int count() {
        return timestamps.length;
    }
}
