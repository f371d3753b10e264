package io.tidemark.ingest;

/**
 * Why a sample, or a whole series ({@code sampleIndex == -1}), was not stored.
 * {@code field} names the offending field as the client sent it; {@code reason} names the value and the limit.
 */
public record Rejection(int seriesIndex, int sampleIndex, String field, RejectCode code, String reason, int samples) {

    public static Rejection ofSeries(int seriesIndex, int samples, String field, RejectCode code, String reason) {
        return new Rejection(seriesIndex, -1, field, code, reason, samples);
    }

    public static Rejection ofSample(int seriesIndex, int sampleIndex, String field, RejectCode code, String reason) {
        return new Rejection(seriesIndex, sampleIndex, field, code, reason, 1);
    }
}
