package io.tidemark.ingest;

import io.tidemark.storage.MetricMetadata;
import io.tidemark.storage.SampleBatch;
import io.tidemark.storage.SeriesKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a batch sample by sample. A bad series or sample becomes a {@link Rejection}; every good
 * sample beside it goes on into the {@link SampleBatch}. Only a batch over a size limit is refused whole.
 */
public final class BatchValidator {

    private final IngestLimits limits;
    private final Clock clock;

    public BatchValidator(IngestLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    public record Result(SampleBatch batch, List<Rejection> rejections) {
        public int rejectedSamples() {
            return rejections.stream().mapToInt(Rejection::samples).sum();
        }
    }

    public void checkSize(int serializedBytes) {
        if (serializedBytes > limits.maxBatchBytes()) {
            throw new BatchTooLargeException("batch is " + serializedBytes + " bytes, over the limit of "
                    + limits.maxBatchBytes() + " bytes (tidemark.ingest.max-batch-bytes)");
        }
    }

    public Result validate(String tenant, List<IncomingSeries> input) {
        int total = 0;
        for (IncomingSeries s : input) {
            total += s.sampleCount();
        }
        if (total > limits.maxSamplesPerBatch()) {
            throw new BatchTooLargeException("batch has " + total + " samples, over the limit of "
                    + limits.maxSamplesPerBatch() + " samples (tidemark.ingest.max-samples-per-batch)");
        }
        long now = clock.millis();
        long oldest = now - limits.maxAge().toMillis();
        long newest = now + limits.maxFuture().toMillis();
        SampleBatch batch = new SampleBatch(total);
        List<Rejection> rejections = new ArrayList<>();
        Map<String, Boolean> metadataSeen = new HashMap<>();
        for (int i = 0; i < input.size(); i++) {
            IncomingSeries series = input.get(i);
            Rejection problem = checkSeries(i, series);
            if (problem != null) {
                rejections.add(problem);
                continue;
            }
            int slot = -1;
            for (int j = 0; j < series.sampleCount(); j++) {
                long ts = series.timestamps()[j];
                if (ts < oldest || ts > newest) {
                    rejections.add(timestampRejection(i, j, ts, ts < oldest));
                    continue;
                }
                if (slot < 0) {
                    slot = batch.addSeries(SeriesKey.of(tenant, series.name(), withoutEmptyValues(series.labels())), i);
                }
                batch.addSample(slot, ts, series.values()[j]);
            }
            if (hasMetadata(series) && metadataSeen.putIfAbsent(series.name(), Boolean.TRUE) == null) {
                batch.addMetadata(new MetricMetadata(tenant, series.name(), withoutNul(series.type()),
                        withoutNul(series.unit()), withoutNul(series.help())));
            }
        }
        return new Result(batch, rejections);
    }

    private Rejection checkSeries(int index, IncomingSeries series) {
        String prefix = "series[" + index + "]";
        int samples = series.sampleCount();
        if (!isValidName(series.name(), true)) {
            return Rejection.ofSeries(index, samples, prefix + ".name", RejectCode.INVALID_NAME,
                    "metric name " + quote(series.name()) + " must match [a-zA-Z_:][a-zA-Z0-9_:.]* and be at most "
                            + limits.maxNameLength() + " characters");
        }
        if (series.labels().size() > limits.maxLabels()) {
            return Rejection.ofSeries(index, samples, prefix + ".labels", RejectCode.TOO_MANY_LABELS,
                    "series has " + series.labels().size() + " labels, over the limit of " + limits.maxLabels()
                            + " (tidemark.ingest.max-labels)");
        }
        for (Map.Entry<String, String> label : series.labels().entrySet()) {
            String name = label.getKey();
            String field = prefix + ".labels[" + name + "]";
            if (!isValidName(name, false)) {
                return Rejection.ofSeries(index, samples, field, RejectCode.INVALID_LABEL_NAME,
                        "label name " + quote(name) + " must match [a-zA-Z_][a-zA-Z0-9_.]* and be at most "
                                + limits.maxNameLength() + " characters");
            }
            if (name.startsWith("__")) {
                return Rejection.ofSeries(index, samples, field, RejectCode.INVALID_LABEL_NAME,
                        "label name " + quote(name) + " is reserved: names starting with __ are internal");
            }
            if (label.getValue().indexOf('\u0000') >= 0) {
                return Rejection.ofSeries(index, samples, field, RejectCode.INVALID_LABEL_VALUE,
                        "label value contains the NUL character (U+0000), which cannot be stored");
            }
            int bytes = utf8Length(label.getValue());
            if (bytes < 0) {
                return Rejection.ofSeries(index, samples, field, RejectCode.INVALID_LABEL_VALUE,
                        "label value is not valid UTF-8 (unpaired surrogate)");
            }
            if (bytes > limits.maxLabelValueBytes()) {
                return Rejection.ofSeries(index, samples, field, RejectCode.INVALID_LABEL_VALUE,
                        "label value is " + bytes + " bytes, over the limit of " + limits.maxLabelValueBytes()
                                + " bytes (tidemark.ingest.max-label-value-bytes)");
            }
        }
        return null;
    }

    private Rejection timestampRejection(int series, int sample, long ts, boolean tooOld) {
        String field = "series[" + series + "].samples[" + sample + "].timestamp_ms";
        if (tooOld) {
            return Rejection.ofSample(series, sample, field, RejectCode.TOO_OLD, "timestamp " + ts + " ("
                    + Instant.ofEpochMilli(ts) + ") is older than the " + limits.maxAge().toMinutes() + " minutes ("
                    + limits.maxAgeKey() + ") a sample may arrive late");
        }
        return Rejection.ofSample(series, sample, field, RejectCode.TOO_FAR_IN_FUTURE, "timestamp " + ts + " ("
                + Instant.ofEpochMilli(ts) + ") is more than " + limits.maxFuture().toSeconds()
                + "s in the future (tidemark.ingest.max-future)");
    }

    /** Metric names: [a-zA-Z_:][a-zA-Z0-9_:.]*; label names the same without ':'. */
    private boolean isValidName(String name, boolean metric) {
        if (name == null || name.isEmpty() || name.length() > limits.maxNameLength()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':')
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '.'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Encoded length in bytes, or -1 for an unpaired surrogate (not representable in UTF-8). */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return -1;
                }
                bytes += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** An empty label value means "no such label", as in Prometheus. */
    private static Map<String, String> withoutEmptyValues(Map<String, String> labels) {
        if (!labels.containsValue("")) {
            return labels;
        }
        Map<String, String> kept = new HashMap<>(labels);
        kept.values().removeIf(String::isEmpty);
        return kept;
    }

    /** Metadata is descriptive, not identity: a NUL (which PostgreSQL text cannot hold) is dropped, not refused. */
    private static String withoutNul(String s) {
        return s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
    }

    private static boolean hasMetadata(IncomingSeries s) {
        return !s.type().isEmpty() || !s.unit().isEmpty() || !s.help().isEmpty();
    }

    private static String quote(String s) {
        if (s == null) {
            return "(missing)";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return '"' + shown + '"';
    }
}
