package io.tidemark.promql.eval;

import io.smallrye.mutiny.Uni;
import io.tidemark.promql.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/** A {@link SeriesSource} over series held in memory; counts the requests it answers. */
final class InMemorySeriesSource implements SeriesSource {

    private final List<RawSeries> series;
    final List<SelectRequest> requests = new ArrayList<>();

    InMemorySeriesSource(List<RawSeries> series) {
        this.series = List.copyOf(series);
    }

    @Override
    public synchronized Uni<List<RawSeries>> select(SelectRequest request) {
        requests.add(request);
        return Uni.createFrom().item(() -> selectNow(request));
    }

    List<RawSeries> selectNow(SelectRequest request) {
        List<RawSeries> out = new ArrayList<>();
        for (RawSeries s : series) {
            boolean matches = true;
            for (LabelMatcher m : request.matchers()) {
                if (!m.matches(s.labels().get(m.name()))) {
                    matches = false;
                    break;
                }
            }
            if (!matches) {
                continue;
            }
            int n = 0;
            for (long t : s.timestamps()) {
                if (t >= request.minTimeMs() && t <= request.maxTimeMs()) {
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            long[] ts = new long[n];
            double[] vs = new double[n];
            int j = 0;
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestamps()[i];
                if (t >= request.minTimeMs() && t <= request.maxTimeMs()) {
                    ts[j] = t;
                    vs[j++] = s.values()[i];
                }
            }
            out.add(new RawSeries(s.labels(), ts, vs));
        }
        // Storage order is not promised to the engine: hand series over reversed to prove it sorts them.
        java.util.Collections.reverse(out);
        return out;
    }
}
