package io.tidemark.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tidemark.cache.HotWindowCache;
import io.tidemark.storage.RetentionConfig;
import io.tidemark.storage.SampleBatch;
import io.tidemark.storage.rollup.LateSampleMarks;
import io.tidemark.storage.WriteBatcher;
import io.tidemark.storage.WriteOutcome;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one ingest path every receiver calls: validate, refuse new series over the series limits, then hand the
 * good samples to storage and answer once they are committed. Rejected samples never hold back the good ones.
 */
@Singleton
public class IngestService {

    private static final Comparator<Rejection> BY_POSITION =
            Comparator.comparingInt(Rejection::seriesIndex).thenComparingInt(Rejection::sampleIndex);

    private final BatchValidator validator;
    private final SeriesLimitGate seriesLimits;
    private final WriteBatcher batcher;
    private final HotWindowCache cache;
    private final LateSampleMarks lateMarks;
    private final Clock clock;
    private final Counter accepted;
    private final Map<RejectCode, Counter> rejected = new EnumMap<>(RejectCode.class);

    public IngestService(IngestConfig config, RetentionConfig retention, SeriesLimitGate seriesLimits,
            WriteBatcher batcher, HotWindowCache cache, LateSampleMarks lateMarks, Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.validator = new BatchValidator(IngestLimits.from(config, retention.raw()), clock);
        this.seriesLimits = seriesLimits;
        this.batcher = batcher;
        this.cache = cache;
        this.lateMarks = lateMarks;
        this.accepted = Counter.builder("tidemark.ingest.samples.accepted")
                .description("Samples committed (acknowledged to clients)").register(meters);
        for (RejectCode code : RejectCode.values()) {
            rejected.put(code, Counter.builder("tidemark.ingest.samples.rejected").tag("reason", code.label())
                    .description("Samples refused, by reason").register(meters));
        }
    }

    /** Refuses a batch whose serialized size is over the limit, before any work is spent on it. */
    public void checkSize(int serializedBytes) {
        validator.checkSize(serializedBytes);
    }

    /** Fails with {@link BatchTooLargeException} for a batch over a limit, or a storage exception (retryable). */
    public Uni<IngestResult> ingest(String tenant, List<IncomingSeries> series) {
        BatchValidator.Result validated;
        try {
            validated = validator.validate(tenant, series);
        } catch (BatchTooLargeException e) {
            return Uni.createFrom().failure(e);
        }
        validated.rejections().forEach(r -> rejected.get(r.code()).increment(r.samples()));
        return seriesLimits.admit(tenant, validated.batch()).chain(admitted -> {
            admitted.refused().forEach(r -> rejected.get(r.code()).increment(r.samples()));
            boolean everySeriesOverLimit = !series.isEmpty() && admitted.refused().size() == series.size();
            List<Rejection> rejections = merged(validated.rejections(), admitted.refused());
            SampleBatch batch = admitted.batch();
            return batcher.write(batch)
                    // after the commit, before the answer: late samples invalidate their metrics' cached buckets
                    // and mark their minutes for a rollup recomputation
                    .call(() -> lateMarks.afterCommit(batch, clock.millis()))
                    .call(() -> cache.invalidate(tenant, batch.metricsWithSamplesBefore(clock.millis() - cache.settleMs())))
                    .map(outcome -> result(rejections, outcome, everySeriesOverLimit));
        });
    }

    /** Both lists are in (series, sample) order; so is the result. */
    private static List<Rejection> merged(List<Rejection> validation, List<Rejection> seriesLimit) {
        if (seriesLimit.isEmpty()) {
            return validation;
        }
        List<Rejection> all = new ArrayList<>(validation);
        all.addAll(seriesLimit);
        all.sort(BY_POSITION);
        return all;
    }

    private IngestResult result(List<Rejection> earlierRejections, WriteOutcome outcome, boolean everySeriesOverLimit) {
        accepted.increment(outcome.stored());
        if (outcome.collisions().isEmpty()) {
            return new IngestResult(outcome.stored(), earlierRejections, everySeriesOverLimit);
        }
        List<Rejection> all = new ArrayList<>(earlierRejections);
        for (WriteOutcome.Collision c : outcome.collisions()) {
            rejected.get(RejectCode.SERIES_ID_COLLISION).increment(c.samples());
            all.add(Rejection.ofSeries(c.sourceIndex(), c.samples(), "series[" + c.sourceIndex() + "]",
                    RejectCode.SERIES_ID_COLLISION, "series " + c.series() + " hashes to id " + c.series().id()
                            + ", which another series already holds; its samples were not stored"));
        }
        all.sort(BY_POSITION);
        return new IngestResult(outcome.stored(), all, everySeriesOverLimit);
    }
}
