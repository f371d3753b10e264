package io.tidemark.promql.diff;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.promql.diff.PromApiClient.Answer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two Prometheus API answers to the same query: the reference (Prometheus) and the candidate (Tidemark).
 * Equal means: both errors of the same {@code errorType} and HTTP status, or both successes with the same
 * {@code resultType}, the same series (label sets), the same timestamps, and values within 1e-9 relative (NaN equals
 * NaN, each infinity itself). Order is compared only where Prometheus guarantees one (see {@link Order}).
 */
public final class ResultComparator {

    /** What the order of the result list means. */
    public enum Order {
        /** No guarantee (instant vectors and matrices): compared as sets of series. */
        NONE,
        /** Range queries: Prometheus sorts the matrix by label set. */
        BY_LABELS,
        /** Instant sort()/sort_desc(): the values come in the reference's order (ties in any label order). */
        BY_VALUE
    }

    public static final double RELATIVE_TOLERANCE = 1e-9;
    private static final int MAX_LINES = 12;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A JSON sample value other than NaN/±Inf: a plain decimal (Go's 'f' format; an exponent is tolerated). */
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile(
            "-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private final List<String> differences = new ArrayList<>();
    private int suppressed;

    private ResultComparator() {
    }

    /** The differences, reference first in each line; empty when the answers are equal. */
    public static List<String> compare(Answer reference, Answer candidate, Order order) {
        ResultComparator c = new ResultComparator();
        c.compareAnswers(reference, candidate, order);
        if (c.suppressed > 0) {
            c.differences.add("... and " + c.suppressed + " more differences");
        }
        return c.differences;
    }

    private void differ(String line) {
        if (differences.size() < MAX_LINES) {
            differences.add(line);
        } else {
            suppressed++;
        }
    }

    private void compareAnswers(Answer reference, Answer candidate, Order order) {
        JsonNode ref = parse(reference, "prometheus");
        JsonNode cand = parse(candidate, "tidemark");
        if (ref == null || cand == null) {
            return;
        }
        boolean refError = "error".equals(ref.path("status").asText());
        boolean candError = "error".equals(cand.path("status").asText());
        if (refError || candError) {
            if (refError && candError) {
                String refType = ref.path("errorType").asText();
                String candType = cand.path("errorType").asText();
                if (!refType.equals(candType) || reference.status() != candidate.status()) {
                    differ("error differs: prometheus " + reference.status() + " " + refType + " (" + ref.path("error")
                            .asText() + "), tidemark " + candidate.status() + " " + candType + " (" + cand.path(
                                    "error").asText() + ")");
                }
            } else if (refError) {
                differ("prometheus fails with " + reference.status() + " " + ref.path("errorType").asText() + " ("
                        + ref.path("error").asText() + "), tidemark answers " + candidate.status() + " "
                        + abbreviate(cand.path("data").toString()));
            } else {
                differ("tidemark fails with " + candidate.status() + " " + cand.path("errorType").asText() + " ("
                        + cand.path("error").asText() + "), prometheus answers " + abbreviate(ref.path("data")
                                .toString()));
            }
            return;
        }
        if (!"success".equals(ref.path("status").asText()) || !"success".equals(cand.path("status").asText())) {
            differ("status: prometheus " + ref.path("status") + ", tidemark " + cand.path("status"));
            return;
        }
        String refType = ref.path("data").path("resultType").asText();
        String candType = cand.path("data").path("resultType").asText();
        if (!refType.equals(candType)) {
            differ("resultType: prometheus " + refType + ", tidemark " + candType);
            return;
        }
        JsonNode refResult = ref.path("data").path("result");
        JsonNode candResult = cand.path("data").path("result");
        switch (refType) {
            case "scalar", "string" -> comparePoint("", refResult, candResult, !refType.equals("string"));
            case "vector", "matrix" -> compareSeriesLists(refType.equals("matrix"), refResult, candResult, order);
            default -> differ("unknown resultType " + refType);
        }
    }

    /**
     * When both answers are errors of the same type whose messages differ, a line saying so; otherwise null. Not a
     * difference the suite fails on (Prometheus' wording is not part of its API), but worth reading.
     */
    public static String errorWording(Answer reference, Answer candidate) {
        try {
            JsonNode ref = JSON.readTree(reference.body());
            JsonNode cand = JSON.readTree(candidate.body());
            if (ref != null && cand != null && "error".equals(ref.path("status").asText())
                    && "error".equals(cand.path("status").asText())
                    && ref.path("errorType").asText().equals(cand.path("errorType").asText())
                    && !ref.path("error").asText().equals(cand.path("error").asText())) {
                return "prometheus: " + ref.path("error").asText() + "\n    tidemark:   " + cand.path("error").asText();
            }
        } catch (Exception e) {
            // not JSON: compare() reports it
        }
        return null;
    }

    private JsonNode parse(Answer answer, String who) {
        try {
            JsonNode node = JSON.readTree(answer.body());
            if (node == null || !node.isObject()) {
                differ(who + " answered " + answer.status() + " without a JSON object: " + abbreviate(answer.body()));
                return null;
            }
            return node;
        } catch (Exception e) {
            differ(who + " answered " + answer.status() + " with a body that is not JSON: " + abbreviate(answer
                    .body()));
            return null;
        }
    }

    /** One series of a vector or matrix answer: its labels and points. */
    private record Item(String key, List<JsonNode> points) {
    }

    private void compareSeriesLists(boolean matrix, JsonNode refResult, JsonNode candResult, Order order) {
        List<Item> refItems = items(refResult, matrix, "prometheus");
        List<Item> candItems = items(candResult, matrix, "tidemark");
        Map<String, Item> refByKey = byKey(refItems, "prometheus");
        Map<String, Item> candByKey = byKey(candItems, "tidemark");
        boolean sameSet = true;
        for (String key : refByKey.keySet()) {
            if (!candByKey.containsKey(key)) {
                differ("missing in tidemark: " + key + " " + abbreviate(refByKey.get(key).points().toString()));
                sameSet = false;
            }
        }
        for (String key : candByKey.keySet()) {
            if (!refByKey.containsKey(key)) {
                differ("extra in tidemark: " + key + " " + abbreviate(candByKey.get(key).points().toString()));
                sameSet = false;
            }
        }
        for (Map.Entry<String, Item> e : refByKey.entrySet()) {
            Item cand = candByKey.get(e.getKey());
            if (cand != null) {
                comparePoints(e.getKey(), e.getValue().points(), cand.points());
            }
        }
        if (!sameSet || refItems.size() != candItems.size()) {
            return;
        }
        if (order == Order.BY_LABELS) {
            for (int i = 0; i < refItems.size(); i++) {
                if (!refItems.get(i).key().equals(candItems.get(i).key())) {
                    differ("order: series " + i + " is " + refItems.get(i).key() + " in prometheus (sorted by labels),"
                            + " " + candItems.get(i).key() + " in tidemark");
                    return;
                }
            }
        } else if (order == Order.BY_VALUE && !matrix) {
            for (int i = 0; i < refItems.size(); i++) {
                String refValue = refItems.get(i).points().get(0).path(1).asText();
                String candValue = candItems.get(i).points().get(0).path(1).asText();
                if (!sameValue(refValue, candValue)) {
                    differ("order: value " + i + " is " + refValue + " in prometheus (sorted by value), " + candValue
                            + " in tidemark");
                    return;
                }
            }
        }
    }

    private List<Item> items(JsonNode result, boolean matrix, String who) {
        List<Item> items = new ArrayList<>();
        if (!result.isArray()) {
            differ(who + ": result is not a list: " + abbreviate(result.toString()));
            return items;
        }
        for (JsonNode entry : result) {
            List<JsonNode> points = new ArrayList<>();
            if (matrix) {
                entry.path("values").forEach(points::add);
            } else {
                points.add(entry.path("value"));
            }
            items.add(new Item(labelKey(entry.path("metric")), points));
        }
        return items;
    }

    private Map<String, Item> byKey(List<Item> items, String who) {
        Map<String, Item> byKey = new TreeMap<>();
        for (Item item : items) {
            if (byKey.put(item.key(), item) != null) {
                differ(who + ": the label set " + item.key() + " appears twice");
            }
        }
        return byKey;
    }

    /** {@code {a="x", b="y"}} with names sorted: the identity of a series. */
    static String labelKey(JsonNode metric) {
        Map<String, String> labels = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = metric.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            labels.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
        }
        StringBuilder key = new StringBuilder("{");
        labels.forEach((name, value) -> {
            if (key.length() > 1) {
                key.append(", ");
            }
            key.append(name).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        });
        return key.append('}').toString();
    }

    private void comparePoints(String key, List<JsonNode> ref, List<JsonNode> cand) {
        int i = 0;
        int j = 0;
        int shown = 0;
        while ((i < ref.size() || j < cand.size()) && shown < 3) {
            BigDecimal refT = i < ref.size() ? timestamp(ref.get(i)) : null;
            BigDecimal candT = j < cand.size() ? timestamp(cand.get(j)) : null;
            int cmp = refT == null ? 1 : candT == null ? -1 : refT.compareTo(candT);
            if (cmp < 0) {
                differ(key + " t=" + refT.toPlainString() + ": prometheus " + ref.get(i).path(1).asText()
                        + ", tidemark has no point");
                i++;
                shown++;
            } else if (cmp > 0) {
                differ(key + " t=" + candT.toPlainString() + ": prometheus has no point, tidemark " + cand.get(j)
                        .path(1).asText());
                j++;
                shown++;
            } else {
                String refValue = ref.get(i).path(1).asText();
                String candValue = cand.get(j).path(1).asText();
                if (!sameValue(refValue, candValue)) {
                    differ(key + " t=" + refT.toPlainString() + ": prometheus " + refValue + ", tidemark "
                            + candValue);
                    shown++;
                }
                i++;
                j++;
            }
        }
    }

    private void comparePoint(String key, JsonNode ref, JsonNode cand, boolean numeric) {
        BigDecimal refT = timestamp(ref);
        BigDecimal candT = timestamp(cand);
        if (refT == null || candT == null || refT.compareTo(candT) != 0) {
            differ(key + "timestamp: prometheus " + ref.path(0) + ", tidemark " + cand.path(0));
            return;
        }
        String refValue = ref.path(1).asText();
        String candValue = cand.path(1).asText();
        if (numeric ? !sameValue(refValue, candValue) : !refValue.equals(candValue)) {
            differ(key + "value: prometheus " + refValue + ", tidemark " + candValue);
        }
    }

    private static BigDecimal timestamp(JsonNode point) {
        JsonNode t = point.path(0);
        return t.isNumber() ? t.decimalValue() : null;
    }

    /** Values as the API writes them ("1.5", "NaN", "+Inf"): equal within 1e-9 relative, NaN equal to NaN. */
    static boolean sameValue(String reference, String candidate) {
        Double a = parseValue(reference);
        Double b = parseValue(candidate);
        if (a == null || b == null) {
            return false;
        }
        return sameValue(a, b);
    }

    static boolean sameValue(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (a == b) {
            return true;
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return false;
        }
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    static Double parseValue(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!DECIMAL.matcher(text).matches()) {
                    return null;
                }
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
