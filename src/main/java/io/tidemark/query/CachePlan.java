package io.tidemark.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Which buckets of a range query may come from the cache and which must be computed. Buckets are closed once
 * their end is {@code settleMs} in the past; only closed buckets are cached. The rest is computed in at most
 * {@link #MAX_RUNS} contiguous runs (a dashboard refresh: one run, the new tail).
 */
final class CachePlan {

    static final int MAX_RUNS = 4;

    /** Buckets [fromMs, toMs) to compute as one range query. */
    record Run(long fromMs, long toMs) {
    }

    private CachePlan() {
    }

    /** The exclusive end of the query's closed buckets (the first bucket if none is closed). */
    static long closedEnd(RangeQuery q, long nowMs, long settleMs) {
        long limit = q.bucketOf(nowMs - settleMs);
        return Math.max(q.firstBucket(), Math.min(q.endOfLastBucket(), limit));
    }

    /** Starts of the closed buckets, oldest first. */
    static long[] closedBuckets(RangeQuery q, long closedEnd) {
        long[] starts = new long[(int) ((closedEnd - q.firstBucket()) / q.stepMs())];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = q.firstBucket() + i * q.stepMs();
        }
        return starts;
    }

    /** The runs to compute: missing closed buckets, then the open ones up to the query's last bucket. */
    static List<Run> runs(RangeQuery q, long[] closed, boolean[] cached, long closedEnd) {
        List<Run> runs = new ArrayList<>();
        long runStart = -1;
        boolean open = false;
        for (int i = 0; i < closed.length; i++) {
            if (!cached[i] && !open) {
                runStart = closed[i];
                open = true;
            } else if (cached[i] && open) {
                runs.add(new Run(runStart, closed[i]));
                open = false;
            }
        }
        long end = q.endOfLastBucket();
        if (open) {
            runs.add(new Run(runStart, end));
        } else if (closedEnd < end) {
            runs.add(new Run(closedEnd, end));
        }
        if (runs.size() > MAX_RUNS) {
            return List.of(new Run(runs.get(0).fromMs(), end));
        }
        return runs;
    }
}
