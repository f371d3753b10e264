package io.tidemark.agent.scrape;

import io.tidemark.agent.Point;
import io.tidemark.proto.v1.MetricType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text: {@code # TYPE} lines give each
 * family's type (histogram/summary children {@code _bucket}, {@code _sum}, {@code _count} and OpenMetrics'
 * {@code _total}, {@code _created} inherit it), exemplars after {@code #} are dropped, timestamps are milliseconds
 * in the Prometheus format and (fractional) seconds in OpenMetrics. A line that cannot be parsed fails the whole
 * scrape with its line number, as Prometheus does.
 */
public final class ExpositionParser {

    private static final String[] CHILD_SUFFIXES = { "_bucket", "_sum", "_count", "_total", "_created", "_gcount",
            "_gsum", "_info" };

    public static final class ParseException extends Exception {
        public ParseException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private ExpositionParser() {
    }

    /**
     * @param openMetrics whether the body is OpenMetrics (content type application/openmetrics-text)
     * @param defaultTimestampMs the scrape time, for samples without their own timestamp
     */
    public static List<Point> parse(String body, boolean openMetrics, long defaultTimestampMs) throws ParseException {
        Map<String, MetricType> types = new HashMap<>();
        List<Point> points = new ArrayList<>();
        String[] lines = body.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            int number = i + 1;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] f = line.split("\\s+", 4);
                if (f.length >= 4 && f[1].equals("TYPE")) {
                    types.put(f[2], typeOf(f[3].trim()));
                } else if (f.length >= 2 && f[1].equals("EOF")) {
                    break;
                }
                continue;
            }
            points.add(sample(line, number, openMetrics, defaultTimestampMs, types));
        }
        return points;
    }

    private static MetricType typeOf(String type) {
        return switch (type) {
            case "counter" -> MetricType.METRIC_TYPE_COUNTER;
            case "gauge" -> MetricType.METRIC_TYPE_GAUGE;
            case "histogram", "gaugehistogram" -> MetricType.METRIC_TYPE_HISTOGRAM;
            case "summary" -> MetricType.METRIC_TYPE_SUMMARY;
            default -> MetricType.METRIC_TYPE_UNSPECIFIED;
        };
    }

    private static MetricType familyType(String name, Map<String, MetricType> types) {
        MetricType own = types.get(name);
        if (own != null) {
            return own;
        }
        for (String suffix : CHILD_SUFFIXES) {
            if (name.endsWith(suffix)) {
                MetricType parent = types.get(name.substring(0, name.length() - suffix.length()));
                if (parent != null) {
                    return parent;
                }
            }
        }
        return MetricType.METRIC_TYPE_UNSPECIFIED;
    }

    private static Point sample(String line, int number, boolean openMetrics, long defaultTs,
            Map<String, MetricType> types) throws ParseException {
        int pos = 0;
        int length = line.length();
        while (pos < length && isNameChar(line.charAt(pos), pos == 0)) {
            pos++;
        }
        if (pos == 0) {
            throw new ParseException(number, "expected a metric name, found \"" + abbreviate(line) + "\"");
        }
        String name = line.substring(0, pos);
        Map<String, String> labels = new LinkedHashMap<>();
        if (pos < length && line.charAt(pos) == '{') {
            pos = labels(line, pos + 1, number, labels);
        }
        String rest = line.substring(pos).trim();
        int exemplar = rest.indexOf(" #");
        if (exemplar >= 0) {
            rest = rest.substring(0, exemplar).trim();
        }
        String[] f = rest.split("\\s+");
        if (rest.isEmpty() || f.length > 2) {
            throw new ParseException(number, "expected a value and an optional timestamp after " + name + ", found \""
                    + abbreviate(rest) + "\"");
        }
        double value = number(f[0], number);
        long ts = defaultTs;
        if (f.length == 2) {
            try {
                ts = openMetrics ? Math.round(Double.parseDouble(f[1]) * 1000) : Long.parseLong(f[1]);
            } catch (NumberFormatException e) {
                throw new ParseException(number, "invalid timestamp \"" + f[1] + "\"");
            }
        }
        return new Point(name, labels, familyType(name, types), ts, value);
    }

    private static int labels(String line, int pos, int number, Map<String, String> labels) throws ParseException {
        int length = line.length();
        while (true) {
            while (pos < length && (line.charAt(pos) == ' ' || line.charAt(pos) == ',')) {
                pos++;
            }
            if (pos < length && line.charAt(pos) == '}') {
                return pos + 1;
            }
            int start = pos;
            while (pos < length && isLabelChar(line.charAt(pos), pos == start)) {
                pos++;
            }
            if (pos == start || pos >= length || line.charAt(pos) != '=') {
                throw new ParseException(number, "invalid label at column " + (pos + 1));
            }
            String labelName = line.substring(start, pos);
            pos++;
            if (pos >= length || line.charAt(pos) != '"') {
                throw new ParseException(number, "label " + labelName + ": value must be quoted");
            }
            pos++;
            StringBuilder value = new StringBuilder();
            while (pos < length && line.charAt(pos) != '"') {
                char c = line.charAt(pos);
                if (c == '\\' && pos + 1 < length) {
                    char next = line.charAt(++pos);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                pos++;
            }
            if (pos >= length) {
                throw new ParseException(number, "label " + labelName + ": unterminated value");
            }
            labels.put(labelName, value.toString());
            pos++;
        }
    }

    private static double number(String text, int line) throws ParseException {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf", "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new ParseException(line, "invalid value \"" + text + "\"");
                }
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
    }

    private static boolean isLabelChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
