package io.tidemark.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which buckets a cached range query reads and which it computes; the cached bucket encoding. */
class CachePlanTest {

    private static final long STEP = 60_000;
    private static final Selector CPU = new Selector("cpu", List.of());

    private static RangeQuery window(long startMs, long endMs) {
        return new RangeQuery("t", CPU, startMs, endMs, STEP, AggregationFunction.AVG, 0, null, 0);
    }

    @Test
    void bucketsAreClosedOnceTheirEndIsSettleInThePast() {
        RangeQuery q = window(0, 10 * STEP - 1); // buckets 0..9
        assertEquals(5 * STEP, CachePlan.closedEnd(q, 6 * STEP, STEP), "bucket 4 ends at 5 min = now - settle");
        assertEquals(4 * STEP, CachePlan.closedEnd(q, 6 * STEP - 1, STEP), "bucket 4 not yet");
        assertEquals(0, CachePlan.closedEnd(q, 30_000, STEP), "none closed");
        assertEquals(10 * STEP, CachePlan.closedEnd(q, 100 * STEP, STEP), "all closed");
        assertArrayEquals(new long[] { 0, STEP, 2 * STEP }, CachePlan.closedBuckets(q, 3 * STEP));
    }

    @Test
    void aRefreshComputesOneRunForItsTailAndOpenBuckets() {
        RangeQuery q = window(0, 10 * STEP - 1);
        long[] closed = CachePlan.closedBuckets(q, 8 * STEP);
        boolean[] cached = { true, true, true, true, true, true, true, false };
        assertEquals(List.of(new CachePlan.Run(7 * STEP, 10 * STEP)), CachePlan.runs(q, closed, cached, 8 * STEP));
        boolean[] all = { true, true, true, true, true, true, true, true };
        assertEquals(List.of(new CachePlan.Run(8 * STEP, 10 * STEP)), CachePlan.runs(q, closed, all, 8 * STEP));
        assertEquals(List.of(new CachePlan.Run(0, 10 * STEP)),
                CachePlan.runs(q, CachePlan.closedBuckets(q, 10 * STEP), new boolean[10], 10 * STEP), "nothing cached");
    }

    @Test
    void expiredHeadAndMissingTailAreTwoRunsAndManyHolesCollapse() {
        RangeQuery q = window(0, 10 * STEP - 1);
        long[] closed = CachePlan.closedBuckets(q, 10 * STEP);
        boolean[] headAndTail = { false, false, true, true, true, true, true, true, true, false };
        assertEquals(List.of(new CachePlan.Run(0, 2 * STEP), new CachePlan.Run(9 * STEP, 10 * STEP)),
                CachePlan.runs(q, closed, headAndTail, 10 * STEP));
        boolean[] holes = { false, true, false, true, false, true, false, true, false, true };
        assertEquals(List.of(new CachePlan.Run(0, 10 * STEP)), CachePlan.runs(q, closed, holes, 10 * STEP));
    }

    @Test
    void theShapeSeparatesWhatChangesAnAnswerAndIgnoresMatcherOrder() {
        Matcher a = new Matcher("host", Matcher.Type.EQUAL, "a");
        Matcher b = new Matcher("region", Matcher.Type.REGEX, "eu.*");
        RangeQuery ab = new RangeQuery("t", new Selector("cpu", List.of(a, b)), 0, 1, STEP, AggregationFunction.AVG, 0, null, 0);
        RangeQuery ba = new RangeQuery("t", new Selector("cpu", List.of(b, a)), 5, 9, STEP, AggregationFunction.AVG, 0, null, 0);
        assertEquals(CachedRange.shapeOf(ab), CachedRange.shapeOf(ba), "window and matcher order are not part of it");
        RangeQuery other = new RangeQuery("u", new Selector("cpu", List.of(a, b)), 0, 1, STEP, AggregationFunction.AVG, 0, null, 0);
        RangeQuery max = new RangeQuery("t", new Selector("cpu", List.of(a, b)), 0, 1, STEP, AggregationFunction.MAX, 0, null, 0);
        RangeQuery p95 = new RangeQuery("t", CPU, 0, 1, STEP, AggregationFunction.QUANTILE, 0.95, null, 0);
        RangeQuery p99 = new RangeQuery("t", CPU, 0, 1, STEP, AggregationFunction.QUANTILE, 0.99, null, 0);
        assertEquals(5, List.of(CachedRange.shapeOf(ab), CachedRange.shapeOf(other), CachedRange.shapeOf(max),
                CachedRange.shapeOf(p95), CachedRange.shapeOf(p99)).stream().distinct().count());
    }

    @Test
    void bucketsRoundTripWithExactNaNBitsAndRefuseGarbage() {
        Map<String, String> labels = new TreeMap<>(Map.of("__name__", "cpu", "host", "ä-1"));
        double staleness = Double.longBitsToDouble(0x7ff0000000000002L);
        List<BucketCodec.Entry> entries = List.of(new BucketCodec.Entry(labels, 1.5),
                new BucketCodec.Entry(Map.of("region", "eu"), staleness), new BucketCodec.Entry(Map.of(), -0.0));
        List<BucketCodec.Entry> decoded = BucketCodec.decode(BucketCodec.encode(entries));
        assertEquals(3, decoded.size());
        assertEquals(labels, decoded.get(0).labels());
        assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(decoded.get(1).value()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(decoded.get(2).value()));
        assertEquals(List.of(), BucketCodec.decode(BucketCodec.encode(List.of())));
        byte[] encoded = BucketCodec.encode(entries);
        assertThrows(IllegalArgumentException.class,
                () -> BucketCodec.decode(java.util.Arrays.copyOf(encoded, encoded.length - 3)));
        assertThrows(IllegalArgumentException.class, () -> BucketCodec.decode(new byte[] { 9, 0, 0, 0, 0 }));
    }
}
