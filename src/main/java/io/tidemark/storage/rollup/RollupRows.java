package io.tidemark.storage.rollup;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;

/** Computed rollup rows, column-wise, inserted with one unnest statement per batch. */
final class RollupRows {

    private int size;
    private long[] seriesIds = new long[256];
    private long[] buckets = new long[256];
    private long[] counts = new long[256];
    private double[] sums = new double[256];
    private double[] mins = new double[256];
    private double[] maxs = new double[256];
    private double[] lasts = new double[256];
    private Double[] increases = new Double[256];
    private byte[][] sketches = new byte[256][];

    int size() {
        return size;
    }

    void add(long seriesId, long bucket, RollupAccumulator a) {
        if (size == seriesIds.length) {
            int n = size * 2;
            seriesIds = Arrays.copyOf(seriesIds, n);
            buckets = Arrays.copyOf(buckets, n);
            counts = Arrays.copyOf(counts, n);
            sums = Arrays.copyOf(sums, n);
            mins = Arrays.copyOf(mins, n);
            maxs = Arrays.copyOf(maxs, n);
            lasts = Arrays.copyOf(lasts, n);
            increases = Arrays.copyOf(increases, n);
            sketches = Arrays.copyOf(sketches, n);
        }
        seriesIds[size] = seriesId;
        buckets[size] = bucket;
        counts[size] = a.count;
        sums[size] = a.sum;
        mins[size] = a.min;
        maxs[size] = a.max;
        lasts[size] = a.last;
        increases[size] = a.hasIncrease ? a.increase : null;
        sketches[size] = a.sketch.toBytes();
        size++;
    }

    static String insertSql(RollupTier tier) {
        return "INSERT INTO " + tier.table() + " (series_id, bucket, count, sum, min, max, last, increase, sketch)"
                + " SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::float8[], $5::float8[], $6::float8[],"
                + " $7::float8[], $8::float8[], $9::bytea[])"
                // a recomputed bucket (late samples) replaces its row; through the primary key, not a scan
                + " ON CONFLICT (series_id, bucket) DO UPDATE SET count = EXCLUDED.count, sum = EXCLUDED.sum,"
                + " min = EXCLUDED.min, max = EXCLUDED.max, last = EXCLUDED.last, increase = EXCLUDED.increase,"
                + " sketch = EXCLUDED.sketch";
    }

    Tuple params() {
        Long[] ids = new Long[size];
        Long[] bs = new Long[size];
        Long[] cs = new Long[size];
        Double[] su = new Double[size];
        Double[] mi = new Double[size];
        Double[] ma = new Double[size];
        Double[] la = new Double[size];
        io.vertx.core.buffer.Buffer[] sk = new io.vertx.core.buffer.Buffer[size];
        for (int i = 0; i < size; i++) {
            ids[i] = seriesIds[i];
            bs[i] = buckets[i];
            cs[i] = counts[i];
            su[i] = sums[i];
            mi[i] = mins[i];
            ma[i] = maxs[i];
            la[i] = lasts[i];
            sk[i] = io.vertx.core.buffer.Buffer.buffer(sketches[i]);
        }
        return Tuple.tuple().addArrayOfLong(ids).addArrayOfLong(bs).addArrayOfLong(cs).addArrayOfDouble(su)
                .addArrayOfDouble(mi).addArrayOfDouble(ma).addArrayOfDouble(la)
                .addArrayOfDouble(Arrays.copyOf(increases, size)).addValue(sk);
    }

    void clear() {
        size = 0;
        Arrays.fill(sketches, null);
    }
}
