package io.tidemark.storage;

/**
 * Bounded map from series id to check hash, made for the per-series lookup on the ingest path: 4-way
 * set-associative arrays (one set is one 64-byte cache line), no object per entry, no resizing. A full set
 * replaces its ways round-robin; an evicted series only costs one idempotent upsert when it comes back.
 * Striped locks keep an id and its check hash consistent for readers.
 */
final class KnownSeriesCache {

    private static final int WAYS = 4;
    private static final int STRIPES = 64;

    private final long[] entries; // per set: id0, check0, id1, check1, ... ; id 0 = empty
    private final byte[] nextVictim;
    private final int setMask;
    private final Object[] locks = new Object[STRIPES];

    KnownSeriesCache(int capacity) {
        int sets = Integer.highestOneBit(Math.max(WAYS, capacity) / WAYS - 1) << 1;
        sets = Math.max(sets, 1);
        entries = new long[sets * WAYS * 2];
        nextVictim = new byte[sets];
        setMask = sets - 1;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    int capacity() {
        return (setMask + 1) * WAYS;
    }

    /** The check hash cached for {@code id}, or 0 when the id is not cached. */
    long checkOf(long id) {
        int set = setOf(id);
        int base = set * WAYS * 2;
        synchronized (locks[set & (STRIPES - 1)]) {
            for (int w = 0; w < WAYS * 2; w += 2) {
                if (entries[base + w] == id) {
                    return entries[base + w + 1];
                }
            }
        }
        return 0;
    }

    void put(long id, long check) {
        if (id == 0) {
            return; // 0 marks an empty way; such a series is simply never cached
        }
        int set = setOf(id);
        int base = set * WAYS * 2;
        synchronized (locks[set & (STRIPES - 1)]) {
            int free = -1;
            for (int w = 0; w < WAYS * 2; w += 2) {
                if (entries[base + w] == id) {
                    entries[base + w + 1] = check;
                    return;
                }
                if (free < 0 && entries[base + w] == 0) {
                    free = w;
                }
            }
            if (free < 0) {
                free = (nextVictim[set] & (WAYS - 1)) * 2;
                nextVictim[set]++;
            }
            entries[base + free] = id;
            entries[base + free + 1] = check;
        }
    }

    private int setOf(long id) {
        long h = id * 0x9E3779B97F4A7C15L; // ids are hashes already; mixing guards against crafted ones
        return (int) (h >>> 32) & setMask;
    }
}
