package io.tidemark.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The identity of a series: tenant, metric name and labels sorted by name.
 * {@link #id()} is the 64-bit series id stored everywhere; {@link #checkHash()} is an independent
 * second hash kept in memory, so an id collision between two cached series is noticed without a query.
 */
public record SeriesKey(long id, long checkHash, String tenant, String name, String[] labelNames, String[] labelValues) {

    private static final long ID_SEED = 0L;
    private static final long CHECK_SEED = 0x7469_6465_6D61_726BL; // "tidemark"
    // 0xFF and 0xFE never occur in UTF-8, so the encoding is unambiguous.
    private static final byte FIELD_END = (byte) 0xFF;
    private static final byte NAME_END = (byte) 0xFE;

    /** Labels must not contain the metric name; empty label values are not part of the identity. */
    public static SeriesKey of(String tenant, String name, Map<String, String> labels) {
        String[] names = labels.keySet().toArray(new String[0]);
        Arrays.sort(names);
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = labels.get(names[i]);
        }
        byte[] canonical = canonicalBytes(tenant, name, names, values);
        return new SeriesKey(XxHash64.hash(canonical, canonical.length, ID_SEED),
                XxHash64.hash(canonical, canonical.length, CHECK_SEED), tenant, name, names, values);
    }

    private static byte[] canonicalBytes(String tenant, String name, String[] names, String[] values) {
        StringBuilder text = new StringBuilder(64 + names.length * 24);
        text.append(tenant).append('\u0000').append(name).append('\u0000');
        for (int i = 0; i < names.length; i++) {
            text.append(names[i]).append('\u0001').append(values[i]).append('\u0000');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        // Replace the ASCII separators by bytes that cannot occur in UTF-8 text, in place.
        int written = 0;
        for (byte b : bytes) {
            bytes[written++] = b == 0 ? FIELD_END : b == 1 ? NAME_END : b;
        }
        return bytes;
    }

    /** The labels as a JSON object with sorted keys, the form stored in {@code series.labels}. */
    public String labelsJson() {
        StringBuilder json = new StringBuilder(16 + labelNames.length * 32).append('{');
        for (int i = 0; i < labelNames.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            appendJsonString(json, labelNames[i]).append(':');
            appendJsonString(json, labelValues[i]);
        }
        return json.append('}').toString();
    }

    static StringBuilder appendJsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesKey other && id == other.id && checkHash == other.checkHash && tenant.equals(other.tenant)
                && name.equals(other.name) && Arrays.equals(labelNames, other.labelNames)
                && Arrays.equals(labelValues, other.labelValues);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name).append('{');
        for (int i = 0; i < labelNames.length; i++) {
            s.append(i > 0 ? "," : "").append(labelNames[i]).append("=\"").append(labelValues[i]).append('"');
        }
        return s.append('}').toString();
    }
}
