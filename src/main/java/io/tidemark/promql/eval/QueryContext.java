package io.tidemark.promql.eval;

import io.tidemark.promql.AtModifier;
import io.tidemark.promql.VectorSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What every evaluator of one query shares: options, the query's range, fetched series and the sample count. */
final class QueryContext {

    static final String TOO_MANY_SAMPLES =
            "query processing would load too many samples into memory in query execution";

    final EngineOptions options;
    final long queryStart;
    final long queryEnd;
    /** Nodes Prometheus wraps in a StepInvariantExpr: evaluated once at the first step, then repeated. */
    final Set<Object> stepInvariant;
    private final Map<VectorSelector, List<RawSeries>> data;
    private final Map<RawSeries, RawSeries> withoutStale = new IdentityHashMap<>();
    /** Samples held in memory right now, counted as Prometheus' evaluator counts them. */
    long samples;

    QueryContext(EngineOptions options, long queryStart, long queryEnd, Set<Object> stepInvariant,
            Map<VectorSelector, List<RawSeries>> data) {
        this.options = options;
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.stepInvariant = stepInvariant;
        this.data = data;
    }

    long resolve(AtModifier at) {
        return switch (at.kind()) {
            case TIMESTAMP -> at.timestampMillis();
            case START -> queryStart;
            case END -> queryEnd;
        };
    }

    /** The series of a selector, sorted by labels as Prometheus' storage returns them. */
    List<RawSeries> series(VectorSelector selector) {
        List<RawSeries> s = data.get(selector);
        if (s == null) {
            throw new IllegalStateException("no series fetched for selector " + selector);
        }
        return s;
    }

    /** The samples of a series without staleness markers, as range selectors read them. */
    RawSeries withoutStaleMarkers(RawSeries s) {
        return withoutStale.computeIfAbsent(s, QueryContext::dropStale);
    }

    private static RawSeries dropStale(RawSeries s) {
        int stale = 0;
        for (double v : s.values()) {
            if (StaleNaN.is(v)) {
                stale++;
            }
        }
        if (stale == 0) {
            return s;
        }
        long[] ts = new long[s.size() - stale];
        double[] vs = new double[ts.length];
        int j = 0;
        for (int i = 0; i < s.size(); i++) {
            if (!StaleNaN.is(s.values()[i])) {
                ts[j] = s.timestamps()[i];
                vs[j++] = s.values()[i];
            }
        }
        return new RawSeries(s.labels(), ts, vs);
    }

    void add(long n) {
        samples += n;
        if (samples > options.maxSamples()) {
            throw new QueryLimitException(TOO_MANY_SAMPLES);
        }
    }

    /** Sorts fetched series by labels and keeps one series per label set. */
    static List<RawSeries> sorted(List<RawSeries> in) {
        List<RawSeries> out = new ArrayList<>(in);
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return Collections.unmodifiableList(out);
    }
}
