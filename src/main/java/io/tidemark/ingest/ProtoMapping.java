package io.tidemark.ingest;

import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.MetricType;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Protobuf messages to the ingest domain and back. */
final class ProtoMapping {

    private ProtoMapping() {
    }

    static List<IncomingSeries> toIncoming(MetricBatch batch) {
        List<IncomingSeries> series = new ArrayList<>(batch.getSeriesCount());
        for (TimeSeries ts : batch.getSeriesList()) {
            int n = ts.getSamplesCount();
            long[] timestamps = new long[n];
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                Sample s = ts.getSamples(i);
                timestamps[i] = s.getTimestampMs();
                values[i] = s.getValue();
            }
            series.add(new IncomingSeries(ts.getName(), ts.getLabelsMap(), timestamps, values, typeName(ts.getType()),
                    ts.getUnit(), ts.getHelp()));
        }
        return series;
    }

    /** "gauge", "counter", ...; empty when unspecified. */
    private static String typeName(MetricType type) {
        if (type == MetricType.METRIC_TYPE_UNSPECIFIED || type == MetricType.UNRECOGNIZED) {
            return "";
        }
        return type.name().substring("METRIC_TYPE_".length()).toLowerCase(Locale.ROOT);
    }

    static List<io.tidemark.proto.v1.Rejection> toProto(List<Rejection> rejections) {
        List<io.tidemark.proto.v1.Rejection> out = new ArrayList<>(rejections.size());
        for (Rejection r : rejections) {
            out.add(io.tidemark.proto.v1.Rejection.newBuilder().setSeriesIndex(r.seriesIndex())
                    .setSampleIndex(r.sampleIndex()).setField(r.field()).setCode(r.code().label()).setReason(r.reason())
                    .build());
        }
        return out;
    }
}
