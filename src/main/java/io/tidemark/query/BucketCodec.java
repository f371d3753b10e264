package io.tidemark.query;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cached form of one closed bucket: every series' value in it (an empty list is a valid, cached answer).
 * Layout: version byte, entry count (int), then per entry the label count (short), each name and value
 * (modified UTF-8), and the value's raw IEEE bits (NaN payloads kept).
 */
final class BucketCodec {

    private static final byte VERSION = 1;

    record Entry(Map<String, String> labels, double value) {
    }

    private BucketCodec() {
    }

    static byte[] encode(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + entries.size() * 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeShort(e.labels().size());
                for (Map.Entry<String, String> label : e.labels().entrySet()) {
                    out.writeUTF(label.getKey());
                    out.writeUTF(label.getValue());
                }
                out.writeLong(Double.doubleToRawLongBits(e.value()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Throws {@link IllegalArgumentException} for bytes this codec did not write. */
    static List<Entry> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown cached bucket version " + version);
            }
            int count = in.readInt();
            if (count < 0 || count > encoded.length) {
                throw new IllegalArgumentException("cached bucket claims " + count + " entries in " + encoded.length + " bytes");
            }
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int labelCount = in.readShort();
                Map<String, String> labels = new TreeMap<>();
                for (int j = 0; j < labelCount; j++) {
                    labels.put(in.readUTF(), in.readUTF());
                }
                entries.add(new Entry(labels, Double.longBitsToDouble(in.readLong())));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("cached bucket has " + in.available() + " trailing bytes");
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalArgumentException("cached bucket truncated: " + e, e);
        }
    }
}
