package io.tidemark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchValidatorTest {

    private static final long NOW = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();
    private static final IngestLimits LIMITS = new IngestLimits(100, 1 << 20, 30, 2048, 512, Duration.ofHours(1),
            "tidemark.ingest.late-window", Duration.ofMinutes(10));
    private final BatchValidator validator = new BatchValidator(LIMITS,
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    private BatchValidator.Result validate(IncomingSeries... series) {
        return validator.validate("default", List.of(series));
    }

    @Test
    void acceptsDottedAndPrometheusNamesAndSpecialValues() {
        BatchValidator.Result r = validate(
                IncomingSeries.of("cpu.usage.percent", Map.of("host", "h1"), NOW, 42.5),
                IncomingSeries.of("node:load1:avg", Map.of("dc.zone", "eu-1"), NOW, Double.NaN),
                IncomingSeries.of("_x", Map.of(), NOW, Double.POSITIVE_INFINITY),
                IncomingSeries.of("y", Map.of(), NOW, Double.NEGATIVE_INFINITY));
        assertEquals(List.of(), r.rejections());
        assertEquals(4, r.batch().size());
        assertTrue(Double.isNaN(r.batch().value(1)));
    }

    @Test
    void rejectsBadNamesWithFieldAndReason() {
        BatchValidator.Result r = validate(
                IncomingSeries.of("ok", Map.of(), NOW, 1),
                IncomingSeries.of("1cpu", Map.of(), NOW, 1),
                IncomingSeries.of("cpu-usage", Map.of(), NOW, 1),
                IncomingSeries.of("", Map.of(), NOW, 1),
                IncomingSeries.of("m", Map.of("bad:label", "x"), NOW, 1),
                IncomingSeries.of("m", Map.of("__name__", "x"), NOW, 1));
        assertEquals(1, r.batch().size());
        assertEquals(5, r.rejections().size());
        Rejection first = r.rejections().get(0);
        assertEquals(1, first.seriesIndex());
        assertEquals(-1, first.sampleIndex());
        assertEquals("series[1].name", first.field());
        assertEquals(RejectCode.INVALID_NAME, first.code());
        assertTrue(first.reason().contains("\"1cpu\""), first.reason());
        assertEquals("series[4].labels[bad:label]", r.rejections().get(3).field());
        assertEquals(RejectCode.INVALID_LABEL_NAME, r.rejections().get(4).code());
    }

    @Test
    void rejectsTooManyLabelsAndLongValues() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 31; i++) {
            many.put("l" + i, "v");
        }
        BatchValidator.Result r = validate(
                IncomingSeries.of("m", many, NOW, 1),
                IncomingSeries.of("m", Map.of("big", "é".repeat(1025)), NOW, 1),
                IncomingSeries.of("m", Map.of("fits", "é".repeat(1024)), NOW, 1));
        assertEquals(RejectCode.TOO_MANY_LABELS, r.rejections().get(0).code());
        assertTrue(r.rejections().get(0).reason().contains("31 labels, over the limit of 30"));
        assertEquals(RejectCode.INVALID_LABEL_VALUE, r.rejections().get(1).code());
        assertTrue(r.rejections().get(1).reason().contains("2050 bytes"), r.rejections().get(1).reason());
        assertEquals(1, r.batch().size());
    }

    @Test
    void rejectsNulInLabelValuesAndDropsItFromMetadata() {
        BatchValidator.Result r = validate(IncomingSeries.of("m", Map.of("l", "a\u0000b"), NOW, 1),
                new IncomingSeries("n", Map.of(), new long[] { NOW }, new double[] { 1 }, "gauge", "", "he\u0000lp"));
        assertEquals(RejectCode.INVALID_LABEL_VALUE, r.rejections().get(0).code());
        assertTrue(r.rejections().get(0).reason().contains("NUL"));
        assertEquals("help", r.batch().metadata().get(0).help());
    }

    @Test
    void rejectsUnpairedSurrogates() {
        BatchValidator.Result r = validate(IncomingSeries.of("m", Map.of("l", "a\uD800b"), NOW, 1));
        assertEquals(RejectCode.INVALID_LABEL_VALUE, r.rejections().get(0).code());
    }

    @Test
    void rejectsOnlyTheBadTimestampsOfASeries() {
        long[] ts = { NOW - Duration.ofMinutes(61).toMillis(), NOW - Duration.ofMinutes(59).toMillis(),
                NOW + Duration.ofMinutes(11).toMillis(), NOW + Duration.ofMinutes(9).toMillis() };
        BatchValidator.Result r = validate(new IncomingSeries("m", Map.of(), ts, new double[] { 1, 2, 3, 4 }, "", "", ""));
        assertEquals(2, r.batch().size());
        assertEquals(NOW - Duration.ofMinutes(59).toMillis(), r.batch().timestamp(0), "late, within the window");
        assertEquals(4.0, r.batch().value(1));
        assertEquals(2, r.rejections().size());
        assertEquals(RejectCode.TOO_OLD, r.rejections().get(0).code());
        assertEquals("series[0].samples[0].timestamp_ms", r.rejections().get(0).field());
        assertTrue(r.rejections().get(0).reason().contains("60 minutes (tidemark.ingest.late-window)"),
                r.rejections().get(0).reason());
        assertEquals(RejectCode.TOO_FAR_IN_FUTURE, r.rejections().get(1).code());
        assertEquals(2, r.rejections().get(1).sampleIndex());
        assertTrue(r.rejections().get(1).reason().contains("600s in the future"), r.rejections().get(1).reason());
    }

    @Test
    void theLateWindowIsCappedByTheRawRetentionAndNamesTheKeyThatApplies() {
        IngestLimits wide = IngestLimits.from(configWithLateWindow(Duration.ofDays(30)), Duration.ofDays(15));
        assertEquals(Duration.ofDays(15), wide.maxAge());
        assertEquals("tidemark.retention.raw", wide.maxAgeKey());
        IngestLimits narrow = IngestLimits.from(configWithLateWindow(Duration.ofHours(1)), Duration.ofDays(15));
        assertEquals(Duration.ofHours(1), narrow.maxAge());
        assertEquals("tidemark.ingest.late-window", narrow.maxAgeKey());
    }

    private static IngestConfig configWithLateWindow(Duration lateWindow) {
        return new IngestConfig() {
            public int maxSamplesPerBatch() { return 100; }
            public int maxBatchBytes() { return 1 << 20; }
            public int maxLabels() { return 30; }
            public int maxLabelValueBytes() { return 2048; }
            public int maxNameLength() { return 512; }
            public Duration lateWindow() { return lateWindow; }
            public Duration maxFuture() { return Duration.ofMinutes(10); }
            public int streamWindow() { return 16; }
            public int maxSeriesPerTenant() { return 1_000_000; }
            public int maxSeriesPerMetric() { return 100_000; }
            public Duration seriesCountRefresh() { return Duration.ofSeconds(30); }
        };
    }

    @Test
    void refusesABatchOverTheSampleLimitNamingIt() {
        IncomingSeries big = new IncomingSeries("m", Map.of(), new long[101], new double[101], "", "", "");
        BatchTooLargeException e = assertThrows(BatchTooLargeException.class, () -> validate(big));
        assertTrue(e.getMessage().contains("101 samples, over the limit of 100"), e.getMessage());
        assertTrue(e.getMessage().contains("tidemark.ingest.max-samples-per-batch"));
    }

    @Test
    void emptyLabelValuesAreNotPartOfTheIdentity() {
        BatchValidator.Result r = validate(IncomingSeries.of("m", Map.of("a", "1", "b", ""), NOW, 1),
                IncomingSeries.of("m", Map.of("a", "1"), NOW + 1, 1));
        assertEquals(r.batch().series(0).id(), r.batch().series(1).id());
    }

    @Test
    void keepsMetadataOncePerName() {
        BatchValidator.Result r = validate(
                new IncomingSeries("m", Map.of("a", "1"), new long[] { NOW }, new double[] { 1 }, "counter", "bytes", "h"),
                new IncomingSeries("m", Map.of("a", "2"), new long[] { NOW }, new double[] { 1 }, "counter", "bytes", "h"));
        assertEquals(1, r.batch().metadata().size());
        assertEquals("counter", r.batch().metadata().get(0).type());
    }
}
