package io.tidemark.promql.eval;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The storage side of PromQL evaluation. The engine first collects every {@link SelectRequest} of a query, fetches
 * them through this interface (non-blocking), then evaluates on a worker thread over the fetched series.
 *
 * <p>An implementation fails the Uni with {@link QueryLimitException} when the answer would exceed its limits.
 */
public interface SeriesSource {

    Uni<List<RawSeries>> select(SelectRequest request);
}
