package io.tidemark.load;

import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the batches of one round: batch-hosts hosts x all their metrics, one sample per series.
 * Rounds must be built in order (the random walk is sequential); sequence numbers are unique per run.
 */
final class BatchFactory {

    private final FleetCatalog catalog;
    private final RandomWalk walk;
    private final int batchHosts;
    private final long startMs;
    private long nextSequence = 1;

    BatchFactory(FleetCatalog catalog, int batchHosts, long startMs) {
        this.catalog = catalog;
        this.walk = new RandomWalk(catalog.hosts() * catalog.metrics());
        this.batchHosts = batchHosts;
        this.startMs = startMs;
    }

    List<OutgoingBatch> buildRound(int round) {
        long timestampMs = startMs + round * LoadOptions.ROUND_STEP_MS;
        List<OutgoingBatch> batches = new ArrayList<>();
        for (int first = 0; first < catalog.hosts(); first += batchHosts) {
            int end = Math.min(first + batchHosts, catalog.hosts());
            MetricBatch.Builder batch = MetricBatch.newBuilder();
            for (int host = first; host < end; host++) {
                for (int metric = 0; metric < catalog.metrics(); metric++) {
                    double value = walk.next(host * catalog.metrics() + metric);
                    batch.addSeries(TimeSeries.newBuilder()
                            .setName(catalog.metricName(metric))
                            .putAllLabels(catalog.labels(host))
                            .addSamples(Sample.newBuilder().setTimestampMs(timestampMs).setValue(value)));
                }
            }
            long sequence = nextSequence++;
            byte[] encoded = PushRequest.newBuilder().setSequence(sequence).setBatch(batch).build().toByteArray();
            batches.add(new OutgoingBatch(sequence, encoded, (end - first) * catalog.metrics()));
        }
        return batches;
    }
}
