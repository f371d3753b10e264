package io.tidemark.sketch;

/**
 * A mergeable quantile sketch with relative accuracy (DDSketch, Masson, Rim and Lee, VLDB 2019), for the
 * 1m/1h/1d rollups: an hour's p95/p99 come from merging its minute sketches, never from averaging
 * percentiles.
 *
 * <h2>Mapping</h2>
 * With {@code gamma = (1 + α) / (1 − α)}, a value {@code x > 0} goes to bin
 * {@code i = ceil(ln(x) / ln(gamma))} (computed as {@code ceil(Math.log(x) * (1 / ln(gamma)))}), which holds the
 * values in {@code (gamma^(i−1), gamma^i]}. The bin answers {@code 2·gamma^i / (gamma + 1)}, whose relative
 * distance to any value of the bin is at most α (exactly α at both edges; floating-point rounding adds less
 * than 1e-12). Negative values use a second store of the same bins for {@code |x|}; values with
 * {@code |x| <} {@link #MIN_INDEXABLE_VALUE} (the smallest normal double: zeros and subnormals) are counted
 * as zeros and answer {@code 0.0}. {@code Math.log} is used for speed (about 4 ns against 8 for
 * {@code StrictMath.log}); it may differ by one ulp between JVMs or CPUs, so a value within an ulp of a bin edge
 * could land in the neighbouring bin elsewhere: the guarantee holds either way and sketches stay mergeable.
 *
 * <h2>Quantile definition</h2>
 * Of {@code n} values, {@code quantile(q)} estimates the value at 0-based rank {@code floor(q·(n−1))} of the
 * sorted values (the "lower" definition: no interpolation; q = 0 is the minimum, q = 1 the maximum), with
 * {@code q·(n−1)} computed in double arithmetic. The answer is the estimate of the bin that holds that rank,
 * so it is within relative error α of the exact value at that rank.
 *
 * <h2>Special values</h2>
 * <ul>
 *   <li>NaN is ignored: not counted anywhere ({@link #count()} excludes it). The rollup keeps its own sample
 *       count, and a NaN has no place in an order.</li>
 *   <li>+Inf and −Inf are counted separately and rank above (below) every finite value: a quantile whose
 *       rank falls on them answers ±Inf, so {@code quantile(1)} is +Inf as soon as one +Inf was added,
 *       exactly like the same quantile of the raw samples. They are not clamped into a finite bin, which
 *       would present an unbounded value as a large finite one.</li>
 * </ul>
 *
 * <h2>Bounded size: collapsing the lowest bins</h2>
 * Each store keeps at most {@code maxBins} bins (default 2048, i.e. about 18 decades at α = 1 %). When a
 * new value would need more, the lowest bins are folded into the lowest kept one: for positive values the
 * smallest, for negative values the most negative. Quantiles whose rank falls in the kept bins above the
 * collapsed one keep the α guarantee; lower ranks may be over-estimated. That favors the upper quantiles
 * (p95, p99) the rollups are for. Collapsing depends only on the highest bin ever reached, so the counts
 * after adding values in any order, or after merging sketches of any split of them, are identical.
 *
 * <h2>Serialized form ({@link #toBytes()}), all integers unsigned LEB128 varints unless noted</h2>
 * <pre>
 *   version byte (1)
 *   α                    8 bytes, IEEE 754 double, big-endian
 *   maxBins
 *   zero count, −Inf count, +Inf count
 *   negative store, then positive store, each:
 *     span               number of bins from the lowest to the highest non-empty one; 0 = empty, nothing follows
 *     lowest bin         zigzag varint (negative store: −index of |x|)
 *     runs until span bins are covered: c &gt; 0 = one bin counting c; 0 then k &gt;= 1 = k empty bins
 * </pre>
 * The encoding is canonical (first and last bins non-empty, maximal empty runs), so equal sketches have
 * equal bytes.
 *
 * <p>Not thread-safe. Reuse instances with {@link #clear()}: it keeps the bin arrays.
 */
public final class DDSketch {

    public static final double DEFAULT_RELATIVE_ACCURACY = 0.01;
    public static final int DEFAULT_MAX_BINS = 2048;
    /** Smallest |x| given a bin; anything closer to zero counts as zero. */
    public static final double MIN_INDEXABLE_VALUE = Double.MIN_NORMAL;
    public static final double MIN_RELATIVE_ACCURACY = 1e-6;
    public static final double MAX_RELATIVE_ACCURACY = 0.5;
    public static final int MAX_MAX_BINS = 1 << 16;

    static final byte VERSION = 1;

    private final double relativeAccuracy;
    private final int maxBins;
    private final double logGamma;
    private final double multiplier;
    private final double logEstimateFactor;
    /** Bin range of positive values ({@code index(MIN_INDEXABLE_VALUE)..index(Double.MAX_VALUE)}). */
    private final int minIndex;
    private final int maxIndex;

    /** Keys: index of x. */
    private final DenseStore positive;
    /** Keys: −index of |x|, so that keys and values have the same order. */
    private final DenseStore negative;
    private long zeroCount;
    private long negativeInfinityCount;
    private long positiveInfinityCount;

    /** α = 1 %, 2048 bins per sign. */
    public DDSketch() {
        this(DEFAULT_RELATIVE_ACCURACY, DEFAULT_MAX_BINS);
    }

    public DDSketch(double relativeAccuracy) {
        this(relativeAccuracy, DEFAULT_MAX_BINS);
    }

    /**
     * @param relativeAccuracy α in [{@value #MIN_RELATIVE_ACCURACY}, {@value #MAX_RELATIVE_ACCURACY}]
     * @param maxBins bins per sign in [1, {@value #MAX_MAX_BINS}]
     */
    public DDSketch(double relativeAccuracy, int maxBins) {
        if (!(relativeAccuracy >= MIN_RELATIVE_ACCURACY && relativeAccuracy <= MAX_RELATIVE_ACCURACY)) {
            throw new IllegalArgumentException("relative accuracy must be in [" + MIN_RELATIVE_ACCURACY + ", "
                    + MAX_RELATIVE_ACCURACY + "]: " + relativeAccuracy);
        }
        if (maxBins < 1 || maxBins > MAX_MAX_BINS) {
            throw new IllegalArgumentException("maxBins must be in [1, " + MAX_MAX_BINS + "]: " + maxBins);
        }
        this.relativeAccuracy = relativeAccuracy;
        this.maxBins = maxBins;
        double gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        this.logGamma = Math.log(gamma);
        this.multiplier = 1 / logGamma;
        // 2 / (gamma + 1) = 1 − α
        this.logEstimateFactor = Math.log1p(-relativeAccuracy);
        this.minIndex = index(MIN_INDEXABLE_VALUE);
        this.maxIndex = index(Double.MAX_VALUE);
        this.positive = new DenseStore(maxBins);
        this.negative = new DenseStore(maxBins);
    }

    public double relativeAccuracy() {
        return relativeAccuracy;
    }

    public int maxBins() {
        return maxBins;
    }

    /** The bin of {@code x >= MIN_INDEXABLE_VALUE}, finite. */
    int index(double x) {
        return (int) Math.ceil(Math.log(x) * multiplier);
    }

    /** The value bin {@code i} answers: {@code 2·gamma^i / (gamma + 1)}, capped at {@code Double.MAX_VALUE}. */
    double estimate(int i) {
        return Math.min(Math.exp(i * logGamma + logEstimateFactor), Double.MAX_VALUE);
    }

    /** Adds one value. NaN is ignored. */
    public void add(double value) {
        if (value >= MIN_INDEXABLE_VALUE) {
            if (value != Double.POSITIVE_INFINITY) {
                positive.add(index(value), 1);
            } else {
                positiveInfinityCount++;
            }
        } else if (value <= -MIN_INDEXABLE_VALUE) {
            if (value != Double.NEGATIVE_INFINITY) {
                negative.add(-index(-value), 1);
            } else {
                negativeInfinityCount++;
            }
        } else if (value == value) {
            zeroCount++;
        }
    }

    /** Adds {@code count >= 0} occurrences of a value. NaN is ignored. */
    public void add(double value, long count) {
        if (count <= 0) {
            if (count == 0) {
                return;
            }
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if (value >= MIN_INDEXABLE_VALUE) {
            if (value != Double.POSITIVE_INFINITY) {
                positive.add(index(value), count);
            } else {
                positiveInfinityCount += count;
            }
        } else if (value <= -MIN_INDEXABLE_VALUE) {
            if (value != Double.NEGATIVE_INFINITY) {
                negative.add(-index(-value), count);
            } else {
                negativeInfinityCount += count;
            }
        } else if (value == value) {
            zeroCount += count;
        }
    }

    /**
     * Adds every value of {@code other} to this sketch; {@code other} is unchanged. The counts are those of
     * one sketch fed both sets of values.
     *
     * @throws IllegalArgumentException when the relative accuracies differ
     */
    public void merge(DDSketch other) {
        if (Double.compare(relativeAccuracy, other.relativeAccuracy) != 0) {
            throw new IllegalArgumentException("cannot merge sketches of different relative accuracy: "
                    + relativeAccuracy + " and " + other.relativeAccuracy);
        }
        if (other == this) {
            other = copy();
        }
        positive.mergeFrom(other.positive);
        negative.mergeFrom(other.negative);
        zeroCount += other.zeroCount;
        negativeInfinityCount += other.negativeInfinityCount;
        positiveInfinityCount += other.positiveInfinityCount;
    }

    /** Number of values added (NaN excluded). */
    public long count() {
        return negativeInfinityCount + negative.total() + zeroCount + positive.total() + positiveInfinityCount;
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /** Empties the sketch, keeping its arrays for reuse. */
    public void clear() {
        positive.clear();
        negative.clear();
        zeroCount = 0;
        negativeInfinityCount = 0;
        positiveInfinityCount = 0;
    }

    public DDSketch copy() {
        DDSketch c = new DDSketch(relativeAccuracy, maxBins);
        c.positive.copyFrom(positive);
        c.negative.copyFrom(negative);
        c.zeroCount = zeroCount;
        c.negativeInfinityCount = negativeInfinityCount;
        c.positiveInfinityCount = positiveInfinityCount;
        return c;
    }

    /**
     * The estimated value at rank {@code floor(q·(n−1))} of the {@code n} sorted values (see the class
     * comment); NaN when the sketch is empty.
     *
     * @throws IllegalArgumentException when q is not in [0, 1]
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
        }
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.floor(q * (n - 1));
        if (rank < negativeInfinityCount) {
            return Double.NEGATIVE_INFINITY;
        }
        rank -= negativeInfinityCount;
        if (rank < negative.total()) {
            return -estimate(-negative.keyAtRank(rank));
        }
        rank -= negative.total();
        if (rank < zeroCount) {
            return 0.0;
        }
        rank -= zeroCount;
        if (rank < positive.total()) {
            return estimate(positive.keyAtRank(rank));
        }
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public String toString() {
        return "DDSketch[α=" + relativeAccuracy + ", maxBins=" + maxBins + ", count=" + count() + ", bins="
                + negative.span() + "-/" + positive.span() + "+, zeros=" + zeroCount + ", -Inf=" + negativeInfinityCount
                + ", +Inf=" + positiveInfinityCount + "]";
    }

    // ---- package-private views for tests ----

    DenseStore positiveStore() {
        return positive;
    }

    DenseStore negativeStore() {
        return negative;
    }

    long zeroCount() {
        return zeroCount;
    }

    // ---- serialization ----

    /** Size in bytes of {@link #toBytes()}. */
    public int serializedSize() {
        return encode(null);
    }

    /** The compact, canonical serialized form (see the class comment). */
    public byte[] toBytes() {
        byte[] out = new byte[encode(null)];
        encode(out);
        return out;
    }

    /** Writes into {@code out}, or only counts the bytes when {@code out} is null; returns the length. */
    private int encode(byte[] out) {
        int p = 0;
        if (out != null) {
            out[p] = VERSION;
        }
        p++;
        long bits = Double.doubleToRawLongBits(relativeAccuracy);
        if (out != null) {
            for (int s = 56; s >= 0; s -= 8) {
                out[p++] = (byte) (bits >>> s);
            }
        } else {
            p += 8;
        }
        p = putVarint(out, p, maxBins);
        p = putVarint(out, p, zeroCount);
        p = putVarint(out, p, negativeInfinityCount);
        p = putVarint(out, p, positiveInfinityCount);
        p = encodeStore(out, p, negative);
        p = encodeStore(out, p, positive);
        return p;
    }

    private static int encodeStore(byte[] out, int p, DenseStore store) {
        int span = store.span();
        p = putVarint(out, p, span);
        if (span == 0) {
            return p;
        }
        int lo = store.minKey();
        p = putVarint(out, p, zigzag(lo));
        int hi = store.maxKey();
        int k = lo;
        while (k <= hi) {
            long c = store.count(k);
            if (c != 0) {
                p = putVarint(out, p, c);
                k++;
            } else {
                int run = 0;
                while (store.count(k) == 0) { // the highest bin is non-empty: stops there
                    run++;
                    k++;
                }
                p = putVarint(out, p, 0);
                p = putVarint(out, p, run);
            }
        }
        return p;
    }

    private static long zigzag(int v) {
        return ((long) v << 1) ^ ((long) v >> 63);
    }

    private static int putVarint(byte[] out, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            if (out != null) {
                out[p] = (byte) ((v & 0x7F) | 0x80);
            }
            p++;
            v >>>= 7;
        }
        if (out != null) {
            out[p] = (byte) v;
        }
        return p + 1;
    }

    /**
     * Reads the form written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are truncated, corrupt, of another version, or have
     *         trailing bytes
     */
    public static DDSketch fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("DDSketch bytes are null");
        }
        Reader r = new Reader(bytes);
        int version = r.readByte("version");
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported DDSketch version " + version + " (expected " + VERSION + ")");
        }
        double alpha = Double.longBitsToDouble(r.readLong8("relative accuracy"));
        if (!(alpha >= MIN_RELATIVE_ACCURACY && alpha <= MAX_RELATIVE_ACCURACY)) {
            throw r.corrupt("relative accuracy " + alpha + " out of range");
        }
        long maxBins = r.readVarint("maxBins");
        if (maxBins < 1 || maxBins > MAX_MAX_BINS) {
            throw r.corrupt("maxBins " + maxBins + " out of range");
        }
        DDSketch sketch = new DDSketch(alpha, (int) maxBins);
        long total = 0;
        sketch.zeroCount = r.readVarint("zero count");
        sketch.negativeInfinityCount = r.readVarint("-Inf count");
        sketch.positiveInfinityCount = r.readVarint("+Inf count");
        total = r.addCount(total, sketch.zeroCount);
        total = r.addCount(total, sketch.negativeInfinityCount);
        total = r.addCount(total, sketch.positiveInfinityCount);
        total = decodeStore(r, sketch.negative, (int) maxBins, -sketch.maxIndex, -sketch.minIndex, total, "negative");
        decodeStore(r, sketch.positive, (int) maxBins, sketch.minIndex, sketch.maxIndex, total, "positive");
        if (r.pos != bytes.length) {
            throw r.corrupt((bytes.length - r.pos) + " trailing bytes");
        }
        return sketch;
    }

    /** Validates a store, then loads it; returns the running total. */
    private static long decodeStore(Reader r, DenseStore store, int maxBins, int minKey, int maxKey, long total,
            String name) {
        long span = r.readVarint(name + " store span");
        if (span == 0) {
            return total;
        }
        if (span > maxBins) {
            throw r.corrupt(name + " store spans " + span + " bins, more than maxBins " + maxBins);
        }
        long zz = r.readVarint(name + " store offset");
        long lo = (zz >>> 1) ^ -(zz & 1);
        if (lo < minKey || lo + span - 1 > maxKey) {
            throw r.corrupt(name + " store bins " + lo + ".." + (lo + span - 1) + " outside " + minKey + ".." + maxKey);
        }
        // First pass: validate without allocating.
        int start = r.pos;
        long sum = 0;
        long k = 0;
        boolean lastEmpty = false;
        while (k < span) {
            long c = r.readVarint(name + " store count");
            if (c != 0) {
                sum = r.addCount(sum, c);
                k++;
                lastEmpty = false;
            } else {
                if (k == 0) {
                    throw r.corrupt(name + " store starts with an empty bin");
                }
                long run = r.readVarint(name + " store empty run");
                if (run < 1 || run > span - k) {
                    throw r.corrupt(name + " store empty run of " + run + " at bin " + k + " of " + span);
                }
                k += run;
                lastEmpty = true;
            }
        }
        if (lastEmpty) {
            throw r.corrupt(name + " store ends with an empty bin");
        }
        // Second pass: fill.
        int end = r.pos;
        r.pos = start;
        long[] counts = new long[(int) span];
        int i = 0;
        while (r.pos < end) {
            long c = r.readVarint(name);
            if (c != 0) {
                counts[i++] = c;
            } else {
                i += (int) r.readVarint(name);
            }
        }
        store.adopt((int) lo, counts, sum);
        return r.addCount(total, sum);
    }

    private static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        IllegalArgumentException corrupt(String what) {
            return new IllegalArgumentException("corrupt DDSketch bytes (" + b.length + " bytes): " + what);
        }

        int readByte(String field) {
            if (pos >= b.length) {
                throw truncated(field);
            }
            return b[pos++] & 0xFF;
        }

        long readLong8(String field) {
            if (b.length - pos < 8) {
                throw truncated(field);
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        long readVarint(String field) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= b.length) {
                    throw truncated(field);
                }
                int x = b[pos++];
                if (shift == 63 && (x & 0xFE) != 0) {
                    throw corrupt(field + ": varint overflows 64 bits at byte " + (pos - 1));
                }
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    if (v < 0) {
                        throw corrupt(field + ": value out of range");
                    }
                    return v;
                }
            }
            throw new AssertionError();
        }

        long addCount(long total, long c) {
            long t = total + c;
            if (t < 0) {
                throw corrupt("counts overflow");
            }
            return t;
        }

        IllegalArgumentException truncated(String field) {
            return new IllegalArgumentException("truncated DDSketch bytes (" + b.length + " bytes): missing "
                    + field + " at byte " + pos);
        }
    }
}
