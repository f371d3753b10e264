package io.tidemark.remote;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.util.Arrays;

/** Snappy block format (not framed), as remote write and remote read bodies use it. */
public final class Snappy {

    private Snappy() {
    }

    /**
     * Decompresses a body, refusing one that would decompress to more than {@code maxBytes} before allocating it.
     *
     * @throws RemoteRequestException for a malformed body or one over the limit
     */
    public static byte[] decompress(byte[] compressed, int maxBytes) {
        int length;
        try {
            length = SnappyDecompressor.getUncompressedLength(compressed, 0);
        } catch (RuntimeException e) {
            throw RemoteRequestException.badData("the body is not snappy-compressed (block format): " + e.getMessage());
        }
        if (length < 0 || length > maxBytes) {
            throw RemoteRequestException.tooLarge("the body decompresses to " + Integer.toUnsignedString(length)
                    + " bytes, over the limit of " + maxBytes + " (tidemark.ingest.max-batch-bytes)");
        }
        byte[] out = new byte[length];
        try {
            int n = new SnappyDecompressor().decompress(compressed, 0, compressed.length, out, 0, length);
            return n == length ? out : Arrays.copyOf(out, n);
        } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw RemoteRequestException.badData("malformed snappy body: " + e.getMessage());
        }
    }

    public static byte[] compress(byte[] raw) {
        SnappyCompressor compressor = new SnappyCompressor();
        byte[] out = new byte[compressor.maxCompressedLength(raw.length)];
        int n = compressor.compress(raw, 0, raw.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }
}
