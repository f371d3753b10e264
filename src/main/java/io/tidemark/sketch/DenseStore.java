package io.tidemark.sketch;

import java.util.Arrays;

/**
 * Counts per integer key in one contiguous {@code long[]} (key {@code offset + i} at {@code counts[i]}),
 * grown as needed and never longer than {@code maxBins}.
 *
 * <p>Keys are ordered like the values they stand for (the sketch negates the index for negative values),
 * so "collapsing the lowest bins" always means the lowest values. The non-empty keys always fit in a
 * window of {@code maxBins} keys ending at the highest key ever added since the last {@link #clear()}:
 * a key below the window is counted in the window's lowest bin. Because the window only moves up, every
 * count ends up in {@code max(key, maxKey - maxBins + 1)} whatever the order of additions, so adding values
 * one by one and merging stores give identical counts.
 *
 * <p>Not thread-safe.
 */
final class DenseStore {

    private static final long[] NO_COUNTS = new long[0];
    private static final int GROWTH = 16;

    private final int maxBins;
    private long[] counts = NO_COUNTS;
    private int offset;
    /** Lowest and highest non-empty key; {@code minKey > maxKey} when empty. */
    private int minKey = Integer.MAX_VALUE;
    private int maxKey = Integer.MIN_VALUE;
    private long total;

    DenseStore(int maxBins) {
        this.maxBins = maxBins;
    }

    long total() {
        return total;
    }

    boolean isEmpty() {
        return total == 0;
    }

    int minKey() {
        return minKey;
    }

    int maxKey() {
        return maxKey;
    }

    /** Count of one key; 0 outside the stored range. */
    long count(int key) {
        long i = (long) key - offset;
        return i >= 0 && i < counts.length ? counts[(int) i] : 0;
    }

    /** Number of keys from the lowest to the highest non-empty one (0 when empty). */
    int span() {
        return total == 0 ? 0 : maxKey - minKey + 1;
    }

    void clear() {
        if (total != 0) {
            Arrays.fill(counts, minKey - offset, maxKey - offset + 1, 0L);
        }
        minKey = Integer.MAX_VALUE;
        maxKey = Integer.MIN_VALUE;
        total = 0;
    }

    /** Adds {@code n > 0} to {@code key}, collapsing the lowest bins if the window must move up. */
    void add(int key, long n) {
        long i = (long) key - offset;
        if (i >= 0 && i < counts.length) {
            // In the array: the array is at most maxBins long and holds maxKey, so no collapse is needed.
            counts[(int) i] += n;
            if (key < minKey) {
                minKey = key;
            }
            if (key > maxKey) {
                maxKey = key;
            }
        } else {
            addOutside(key, n);
        }
        total += n;
    }

    private void addOutside(int key, long n) {
        if (total == 0) {
            place(key, key);
            minKey = key;
            maxKey = key;
            counts[key - offset] += n;
            return;
        }
        if (key > maxKey) {
            long windowLow = (long) key - maxBins + 1;
            if (windowLow > minKey) {
                // The window moves up: fold the keys below it into its lowest bin.
                int low = (int) windowLow;
                long folded = 0;
                int end = Math.min(maxKey, low - 1);
                for (int k = minKey; k <= end; k++) {
                    folded += counts[k - offset];
                    counts[k - offset] = 0;
                }
                if (maxKey < low) {
                    minKey = Integer.MAX_VALUE; // nothing left to keep in place
                    maxKey = Integer.MIN_VALUE;
                } else {
                    minKey = low;
                }
                place(low, key);
                counts[low - offset] += folded;
                minKey = low;
            } else {
                place(minKey, key);
            }
            maxKey = key;
        } else { // key < minKey
            long windowLow = (long) maxKey - maxBins + 1;
            if (key < windowLow) {
                key = (int) windowLow;
            }
            place(key, maxKey);
            if (key < minKey) {
                minKey = key;
            }
        }
        counts[key - offset] += n;
    }

    /**
     * Makes the array cover keys {@code lo..hi} ({@code hi - lo < maxBins}), keeping the non-empty range.
     * Reuses the array (moving the counts) when it is long enough, otherwise allocates a longer one.
     */
    private void place(int lo, int hi) {
        if ((long) lo - offset >= 0 && (long) hi - offset < counts.length) {
            return;
        }
        int needed = hi - lo + 1;
        long[] dst = counts;
        if (needed > counts.length) {
            long wanted = (long) needed + needed / 2 + GROWTH;
            wanted = (wanted + GROWTH - 1) / GROWTH * GROWTH;
            dst = new long[(int) Math.min(maxBins, wanted)];
        }
        // Center the needed keys in the array: room to grow both ways.
        int newOffset = lo - (dst.length - needed) / 2;
        if (minKey <= maxKey) {
            int len = maxKey - minKey + 1;
            int from = minKey - offset;
            int to = minKey - newOffset;
            System.arraycopy(counts, from, dst, to, len);
            if (dst == counts) {
                // Clear what the move left behind outside the new position of the range.
                if (from < to) {
                    Arrays.fill(dst, from, Math.min(to, from + len), 0L);
                } else if (from > to) {
                    Arrays.fill(dst, Math.max(to + len, from), from + len, 0L);
                }
            }
        }
        counts = dst;
        offset = newOffset;
    }

    /** Adds every count of {@code other} to this store (highest first, so the window moves at most once). */
    void mergeFrom(DenseStore other) {
        if (other.total == 0) {
            return;
        }
        for (int k = other.maxKey; k >= other.minKey; k--) {
            long c = other.counts[k - other.offset];
            if (c != 0) {
                add(k, c);
            }
        }
    }

    /** The key holding the value of 0-based {@code rank} ({@code 0 <= rank < total}) in key order. */
    int keyAtRank(long rank) {
        long seen = 0;
        for (int k = minKey; k < maxKey; k++) {
            seen += counts[k - offset];
            if (seen > rank) {
                return k;
            }
        }
        return maxKey;
    }

    /**
     * Takes the counts read by {@link DDSketch#fromBytes} as the content of this empty store:
     * {@code decoded} (first and last non-zero, at most maxBins long) for keys from {@code lo}, {@code sum} their
     * total. The array is adopted, not copied.
     */
    void adopt(int lo, long[] decoded, long sum) {
        counts = decoded;
        offset = lo;
        minKey = lo;
        maxKey = lo + decoded.length - 1;
        total = sum;
    }

    void copyFrom(DenseStore other) {
        clear();
        if (other.total == 0) {
            return;
        }
        place(other.minKey, other.maxKey);
        System.arraycopy(other.counts, other.minKey - other.offset, counts, other.minKey - offset, other.span());
        minKey = other.minKey;
        maxKey = other.maxKey;
        total = other.total;
    }
}
