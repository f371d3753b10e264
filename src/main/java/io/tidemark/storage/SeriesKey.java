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
        int capacity = 3 * (tenant.length() + name.length()) + 2;
        for (int i = 0; i < names.length; i++) {
            capacity += 3 * (names[i].length() + values[i].length()) + 2;
        }
        byte[] canonical = new byte[capacity];
        int length = put(canonical, 0, tenant);
        canonical[length++] = FIELD_END;
        length = put(canonical, length, name);
        canonical[length++] = FIELD_END;
        for (int i = 0; i < names.length; i++) {
            length = put(canonical, length, names[i]);
            canonical[length++] = NAME_END;
            length = put(canonical, length, values[i]);
            canonical[length++] = FIELD_END;
        }
        return new SeriesKey(XxHash64.hash(canonical, length, ID_SEED), XxHash64.hash(canonical, length, CHECK_SEED),
                tenant, name, names, values);
    }

    /** Writes {@code s} as UTF-8 at {@code pos} (3 bytes per char always suffice); returns the new position. */
    private static int put(byte[] out, int pos, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(rest, 0, out, pos, rest.length);
                return pos + rest.length;
            }
            out[pos++] = (byte) c;
        }
        return pos;
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
