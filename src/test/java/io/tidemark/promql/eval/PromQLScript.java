package io.tidemark.promql.eval;

import io.tidemark.promql.Durations;
import io.tidemark.promql.Expr;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import io.tidemark.promql.PromQLParser;
import io.tidemark.promql.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL test script: {@code load} blocks of series and {@code eval} commands with their expected answers.
 *
 * <pre>
 * load 1m
 *   http_requests{job="api"} 0+10x10 _ stale 5
 *
 * eval instant at 10m rate(http_requests[5m])
 *   {job="api"} 0.16666666666666666
 *
 * eval range from 0 to 10m step 5m http_requests
 *   http_requests{job="api"} 0 50 100
 *
 * eval_fail instant at 10m label_replace(...)
 *   error: vector cannot contain metrics with the same labelset
 * </pre>
 *
 * Values of a load line are at 0, interval, 2·interval, …: a number, {@code a+bxN} / {@code a-bxN} (N+1 values
 * from a in steps of b), {@code _} (no sample), {@code _xN}, {@code stale} (a staleness marker). An expected line
 * is a label set and a value (instant vector), the values at each step ({@code _} for none, expansions allowed)
 * for a range query, {@code v@t} points for an instant query of a range vector, {@code scalar: v},
 * {@code string: s}. {@code eval_ordered} checks the order of an instant vector too. A {@code # no-oracle} line
 * before an eval excludes it from the comparison with Prometheus (check_with_prometheus.py).
 */
final class PromQLScript {

    record Load(long intervalMs, List<RawSeries> series) {
    }

    /** One expected element: its labels and values (range: one per step, NaN-boxed absence as null). */
    record Expected(Labels labels, List<Double> values, List<Long> times) {
    }

    record Eval(String file, int line, String expr, boolean range, long start, long end, long step, boolean ordered,
                boolean fail, String error, List<Expected> expected, Double scalar, String string,
                List<RawSeries> data) {

        String name() {
            return file + ":" + line + " " + expr;
        }
    }

    private static final Pattern INSTANT = Pattern.compile("(eval|eval_ordered|eval_fail) instant at (\\S+) (.+)");
    private static final Pattern RANGE =
            Pattern.compile("(eval|eval_fail) range from (\\S+) to (\\S+) step (\\S+) (.+)");

    static List<Eval> parse(String file, String text) {
        List<Eval> evals = new ArrayList<>();
        List<RawSeries> data = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i].strip();
            int lineNo = i + 1;
            i++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("clear")) {
                data = new ArrayList<>();
                continue;
            }
            if (line.startsWith("load ")) {
                long interval = Durations.parse(line.substring(5).strip());
                List<RawSeries> loaded = new ArrayList<>(data);
                while (i < lines.length && isIndented(lines[i])) {
                    loaded.add(parseSeries(lines[i].strip(), interval));
                    i++;
                }
                data = loaded;
                continue;
            }
            Matcher mi = INSTANT.matcher(line);
            Matcher mr = RANGE.matcher(line);
            List<String> body = new ArrayList<>();
            while (i < lines.length && isIndented(lines[i])) {
                body.add(lines[i].strip());
                i++;
            }
            if (mi.matches()) {
                long at = Durations.parse(mi.group(2));
                evals.add(eval(file, lineNo, mi.group(1), mi.group(3), false, at, at, 0, body, data));
            } else if (mr.matches()) {
                evals.add(eval(file, lineNo, mr.group(1), mr.group(5), true, Durations.parse(mr.group(2)),
                        Durations.parse(mr.group(3)), Durations.parse(mr.group(4)), body, data));
            } else {
                throw new IllegalArgumentException(file + ":" + lineNo + ": cannot parse: " + line);
            }
        }
        return evals;
    }

    private static boolean isIndented(String line) {
        return !line.isBlank() && Character.isWhitespace(line.charAt(0)) && !line.strip().startsWith("#");
    }

    private static Eval eval(String file, int line, String kind, String expr, boolean range, long start, long end,
            long step, List<String> body, List<RawSeries> data) {
        boolean fail = kind.equals("eval_fail");
        String error = null;
        Double scalar = null;
        String string = null;
        List<Expected> expected = new ArrayList<>();
        for (String b : body) {
            if (b.startsWith("error:")) {
                error = b.substring(6).strip();
            } else if (b.startsWith("scalar:")) {
                scalar = parseValue(b.substring(7).strip());
            } else if (b.startsWith("string:")) {
                string = b.substring(7).strip();
            } else {
                expected.add(parseExpected(b));
            }
        }
        return new Eval(file, line, expr, range, start, end, step, kind.equals("eval_ordered"), fail, error,
                expected, scalar, string, List.copyOf(data));
    }

    /** Splits "labels rest" where labels may contain spaces inside quotes. */
    private static String[] splitLabels(String line) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ' ' && depth == 0) {
                return new String[] {line.substring(0, i), line.substring(i + 1).strip()};
            }
        }
        return new String[] {line, ""};
    }

    static Labels parseLabels(String text) {
        if (text.equals("{}")) {
            return Labels.EMPTY;
        }
        Expr e = PromQLParser.parse(text);
        Map<String, String> m = new TreeMap<>();
        for (LabelMatcher matcher : ((VectorSelector) e).matchers()) {
            if (matcher.type() != MatchType.EQUAL) {
                throw new IllegalArgumentException("only = in label sets: " + text);
            }
            m.put(matcher.name(), matcher.value());
        }
        return Labels.of(m);
    }

    private static RawSeries parseSeries(String line, long interval) {
        String[] parts = splitLabels(line);
        Labels labels = parseLabels(parts[0]);
        List<Double> values = expandValues(parts[1], true);
        int n = 0;
        for (Double v : values) {
            if (v != null) {
                n++;
            }
        }
        long[] ts = new long[n];
        double[] vs = new double[n];
        int j = 0;
        for (int k = 0; k < values.size(); k++) {
            if (values.get(k) != null) {
                ts[j] = k * interval;
                vs[j++] = values.get(k);
            }
        }
        return new RawSeries(labels, ts, vs);
    }

    private static final Pattern SERIES_EXPANSION = Pattern.compile("(.+?)([+-])(.+)x(\\d+)");

    /** Expands load notation; {@code null} is "no sample". */
    static List<Double> expandValues(String text, boolean allowStale) {
        List<Double> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        for (String tok : text.strip().split("\\s+")) {
            if (tok.equals("_")) {
                out.add(null);
            } else if (tok.startsWith("_x")) {
                int n = Integer.parseInt(tok.substring(2));
                for (int k = 0; k < n; k++) {
                    out.add(null);
                }
            } else if (tok.equals("stale")) {
                if (!allowStale) {
                    throw new IllegalArgumentException("stale in expected values");
                }
                out.add(StaleNaN.VALUE);
            } else {
                Matcher m = SERIES_EXPANSION.matcher(tok);
                if (m.matches() && !tok.startsWith("-Inf") && !tok.matches("-?\\d+(\\.\\d+)?[eE][+-]\\d+")) {
                    double start = parseValue(m.group(1));
                    double delta = parseValue(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
                    int n = Integer.parseInt(m.group(4));
                    for (int k = 0; k <= n; k++) {
                        out.add(start + delta * k);
                    }
                } else {
                    out.add(parseValue(tok));
                }
            }
        }
        return out;
    }

    static double parseValue(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static Expected parseExpected(String line) {
        String[] parts = splitLabels(line);
        Labels labels = parseLabels(parts[0]);
        if (parts[1].contains("@")) {
            List<Double> values = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            for (String tok : parts[1].split("\\s+")) {
                String[] vt = tok.split("@");
                values.add(parseValue(vt[0]));
                times.add(Durations.parse(vt[1]));
            }
            return new Expected(labels, values, times);
        }
        return new Expected(labels, expandValues(parts[1], false), null);
    }
}
