package io.tidemark.promql.eval;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name, {@code __name__} included. Equal sets are equal objects, so a
 * {@code Labels} can key a map of series.
 */
public final class Labels implements Comparable<Labels> {

    public static final Labels EMPTY = new Labels(new String[0]);

    /** The label holding the metric name. */
    public static final String METRIC_NAME = "__name__";

    /** name0, value0, name1, value1, … sorted by name. */
    private final String[] pairs;
    private final int hash;

    private Labels(String[] pairs) {
        this.pairs = pairs;
        this.hash = Arrays.hashCode(pairs);
    }

    /** A label set from a map; empty values are dropped (in PromQL a label with value "" does not exist). */
    public static Labels of(Map<String, String> labels) {
        TreeMap<String, String> sorted = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                sorted.put(k, v);
            }
        });
        String[] pairs = new String[sorted.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return new Labels(pairs);
    }

    /** A label set from alternating names and values: {@code Labels.of("__name__", "up", "job", "api")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(m);
    }

    /** Whether a label of that name is present. */
    public boolean has(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            int c = pairs[i].compareTo(name);
            if (c == 0) {
                return true;
            }
            if (c > 0) {
                break;
            }
        }
        return false;
    }

    /** These labels without {@code __name__}. */
    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? without(Set.of(METRIC_NAME)) : this;
    }

    /** These labels without the given names. */
    public Labels without(Collection<String> names) {
        int kept = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (!names.contains(pairs[i])) {
                kept++;
            }
        }
        if (kept * 2 == pairs.length) {
            return this;
        }
        String[] out = new String[kept * 2];
        int j = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (!names.contains(pairs[i])) {
                out[j++] = pairs[i];
                out[j++] = pairs[i + 1];
            }
        }
        return new Labels(out);
    }

    /** Only the labels with the given names. */
    public Labels keep(Collection<String> names) {
        int kept = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (names.contains(pairs[i])) {
                kept++;
            }
        }
        if (kept * 2 == pairs.length) {
            return this;
        }
        String[] out = new String[kept * 2];
        int j = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (names.contains(pairs[i])) {
                out[j++] = pairs[i];
                out[j++] = pairs[i + 1];
            }
        }
        return new Labels(out);
    }

    /** These labels with {@code name} set to {@code value}; an empty value removes the label. */
    public Labels with(String name, String value) {
        if (value == null || value.isEmpty()) {
            return without(Set.of(name));
        }
        int i = 0;
        while (i < pairs.length && pairs[i].compareTo(name) < 0) {
            i += 2;
        }
        if (i < pairs.length && pairs[i].equals(name)) {
            if (pairs[i + 1].equals(value)) {
                return this;
            }
            String[] out = pairs.clone();
            out[i + 1] = value;
            return new Labels(out);
        }
        String[] out = new String[pairs.length + 2];
        System.arraycopy(pairs, 0, out, 0, i);
        out[i] = name;
        out[i + 1] = value;
        System.arraycopy(pairs, i, out, i + 2, pairs.length - i);
        return new Labels(out);
    }

    /** Prometheus' text form, e.g. {@code {__name__="up", job="api"}} (values quoted as Go's strconv.Quote). */
    public String toPromString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(pairs[i]).append('=');
            quote(b, pairs[i + 1]);
        }
        return b.append('}').toString();
    }

    /** Go's strconv.Quote of a string (for error messages). */
    static String goQuote(String s) {
        StringBuilder b = new StringBuilder();
        quote(b, s);
        return b.toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        b.append('"');
    }

    /** The value of a label, "" when absent (as PromQL treats a missing label). */
    public String get(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            int c = pairs[i].compareTo(name);
            if (c == 0) {
                return pairs[i + 1];
            }
            if (c > 0) {
                break;
            }
        }
        return "";
    }

    public int size() {
        return pairs.length / 2;
    }

    public String name(int index) {
        return pairs[index * 2];
    }

    public String value(int index) {
        return pairs[index * 2 + 1];
    }

    /** The labels as a sorted map. */
    public TreeMap<String, String> toMap() {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && hash == l.hash && Arrays.equals(pairs, l.pairs);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Prometheus' order of label sets: pairwise by name, then value; a prefix sorts first. */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(pairs.length, o.pairs.length);
        for (int i = 0; i < n; i++) {
            int c = pairs[i].compareTo(o.pairs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, o.pairs.length);
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
