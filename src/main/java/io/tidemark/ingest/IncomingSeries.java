package io.tidemark.ingest;

import java.util.Map;

/**
 * One series as a client sent it, before validation: the common shape of every receiver
 * (gRPC, JSON, later remote_write). {@code type}, {@code unit} and {@code help} may be empty.
 */
public record IncomingSeries(String name, Map<String, String> labels, long[] timestamps, double[] values,
        String type, String unit, String help) {

    public static IncomingSeries of(String name, Map<String, String> labels, long timestampMs, double value) {
        return new IncomingSeries(name, labels, new long[] { timestampMs }, new double[] { value }, "", "", "");
    }

    public int sampleCount() {
        return timestamps.length;
    }
}
