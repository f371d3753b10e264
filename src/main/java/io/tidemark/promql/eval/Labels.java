package io.tidemark.promql.eval;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name, {@code __name__} included. Equal sets are equal objects, so a
 * {@code Labels} can key a map of series.
 */
public final class Labels implements Comparable<Labels> {

    public static final Labels EMPTY = new Labels(new String[0]);

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
