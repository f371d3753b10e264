package io.tidemark.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the two JSON push shapes into {@link IncomingSeries}, one per element:
 * <ul>
 * <li>{@code {"host_id": "h", "metrics": [{"name", "value", "timestamp", "tags": {}}]}} (host_id becomes the
 * {@code host} label unless a tag sets it);</li>
 * <li>{@code [{"metric", "value", "timestamp", "tags": {}}]}.</li>
 * </ul>
 * Timestamps are Unix seconds (fractions allowed; absent = now). A malformed element is rejected alone.
 */
final class JsonPushParser {

    private JsonPushParser() {
    }

    /** Good elements as series, the rejections of malformed ones, and where each series came from. */
    record Parsed(List<IncomingSeries> series, int[] elementIndex, String fieldPrefix, String nameField,
            List<Rejection> malformed) {

        /** Validator rejections re-indexed to the JSON elements, merged with the malformed ones. */
        List<Rejection> mergeRejections(List<Rejection> fromValidation) {
            List<Rejection> all = new ArrayList<>(malformed);
            for (Rejection r : fromValidation) {
                int element = elementIndex[r.seriesIndex()];
                String rest = r.field().substring(r.field().indexOf(']') + 1)
                        .replace(".samples[0].timestamp_ms", ".timestamp").replace(".labels[", ".tags[");
                if (rest.equals(".name")) {
                    rest = "." + nameField;
                }
                all.add(new Rejection(element, -1, fieldPrefix + "[" + element + "]" + rest, r.code(), r.reason(),
                        r.samples()));
            }
            all.sort(Comparator.comparingInt(Rejection::seriesIndex));
            return all;
        }
    }

    static Parsed parse(JsonNode root) {
        if (root.isArray()) {
            return parseElements(root, "", null, "metric");
        }
        if (root.isObject() && root.path("metrics").isArray()) {
            JsonNode host = root.get("host_id");
            String hostId = host == null || host.isNull() ? null : host.asText();
            return parseElements(root.get("metrics"), "metrics", hostId, "name");
        }
        throw new IllegalArgumentException(
                "expected a JSON array of {metric, value, timestamp, tags} or an object {host_id, metrics: [...]}");
    }

    private static Parsed parseElements(JsonNode elements, String prefix, String hostId, String nameField) {
        List<IncomingSeries> series = new ArrayList<>(elements.size());
        int[] elementIndex = new int[elements.size()];
        List<Rejection> malformed = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < elements.size(); i++) {
            String field = prefix + "[" + i + "]";
            try {
                IncomingSeries s = parseElement(elements.get(i), field, hostId, nameField, now);
                elementIndex[series.size()] = i;
                series.add(s);
            } catch (MalformedElement e) {
                malformed.add(new Rejection(i, -1, e.field, RejectCode.INVALID_SAMPLE, e.getMessage(), 1));
            }
        }
        return new Parsed(series, elementIndex, prefix, nameField, malformed);
    }

    private static IncomingSeries parseElement(JsonNode e, String field, String hostId, String nameField, long now) {
        if (!e.isObject()) {
            throw new MalformedElement(field, "expected an object, got " + e.getNodeType().name().toLowerCase());
        }
        JsonNode name = e.get(nameField);
        if (name == null || !name.isTextual()) {
            throw new MalformedElement(field + "." + nameField, "\"" + nameField + "\" must be a string");
        }
        Map<String, String> labels = new HashMap<>();
        JsonNode tags = e.get("tags");
        if (tags != null && !tags.isNull()) {
            if (!tags.isObject()) {
                throw new MalformedElement(field + ".tags", "\"tags\" must be an object of strings");
            }
            Iterator<Map.Entry<String, JsonNode>> it = tags.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> tag = it.next();
                JsonNode v = tag.getValue();
                if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                    throw new MalformedElement(field + ".tags[" + tag.getKey() + "]", "tag values must be strings");
                }
                labels.put(tag.getKey(), v.asText());
            }
        }
        if (hostId != null) {
            labels.putIfAbsent("host", hostId);
        }
        return IncomingSeries.of(name.asText(), labels, timestampMs(e.get("timestamp"), field, now),
                value(e.get("value"), field));
    }

    private static long timestampMs(JsonNode ts, String field, long now) {
        if (ts == null || ts.isNull()) {
            return now;
        }
        if (!ts.isNumber()) {
            throw new MalformedElement(field + ".timestamp", "\"timestamp\" must be a number of Unix seconds");
        }
        return Math.round(ts.asDouble() * 1000.0);
    }

    private static double value(JsonNode v, String field) {
        if (v != null && v.isNumber()) {
            return v.asDouble();
        }
        if (v != null && v.isTextual()) {
            switch (v.asText()) {
                case "NaN":
                    return Double.NaN;
                case "+Inf", "Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(v.asText());
                    } catch (NumberFormatException ignored) {
                        // fall through to the rejection below
                    }
            }
        }
        throw new MalformedElement(field + ".value", "\"value\" must be a number (or \"NaN\", \"+Inf\", \"-Inf\")");
    }

    private static final class MalformedElement extends RuntimeException {
        final String field;

        MalformedElement(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
