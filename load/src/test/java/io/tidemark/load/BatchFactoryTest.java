package io.tidemark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tidemark.proto.v1.PushRequest;
import io.tidemark.proto.v1.TimeSeries;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchFactoryTest {

    private static final long START = 1_700_000_000_000L;

    private static PushRequest decode(OutgoingBatch batch) {
        try {
            PushRequest request = PushRequest.parseFrom(batch.encoded());
            assertEquals(batch.sequence(), request.getSequence());
            return request;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRoundIsBatchHostsTimesAllMetricsWithOneSampleEach() {
        BatchFactory factory = new BatchFactory(new FleetCatalog(5, 3), 2, START);

        List<OutgoingBatch> round0 = factory.buildRound(0);
        List<OutgoingBatch> round1 = factory.buildRound(1);

        assertEquals(List.of(6, 6, 3), round0.stream().map(OutgoingBatch::samples).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L),
                java.util.stream.Stream.concat(round0.stream(), round1.stream()).map(OutgoingBatch::sequence).toList());
        TimeSeries first = decode(round0.get(0)).getBatch().getSeries(0);
        assertEquals("node_metric_000", first.getName());
        assertEquals(Map.of("host", "host-0001", "region", "region-a", "service", "svc-0"), first.getLabelsMap());
        assertEquals(START, first.getSamples(0).getTimestampMs());
        TimeSeries last = decode(round1.get(2)).getBatch().getSeries(2);
        assertEquals("node_metric_002", last.getName());
        assertEquals(Map.of("host", "host-0005", "region", "region-a", "service", "svc-4"), last.getLabelsMap());
        assertEquals(START + 10_000, last.getSamples(0).getTimestampMs());
    }

    @Test
    void valuesAreReproducibleTwoDecimalRandomWalks() {
        List<OutgoingBatch> a = new BatchFactory(new FleetCatalog(3, 4), 3, START).buildRound(0);
        List<OutgoingBatch> b = new BatchFactory(new FleetCatalog(3, 4), 3, START).buildRound(0);

        assertEquals(decode(a.get(0)), decode(b.get(0)));
        for (TimeSeries s : decode(a.get(0)).getBatch().getSeriesList()) {
            double v = s.getSamples(0).getValue();
            assertTrue(v >= 0 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "not 2 decimals: " + v);
        }
    }
}
