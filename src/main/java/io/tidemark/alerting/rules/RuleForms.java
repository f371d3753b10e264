package io.tidemark.alerting.rules;

import io.tidemark.promql.Durations;
import io.tidemark.promql.GoText;
import io.tidemark.promql.PromQLParser;
import io.tidemark.promql.PromQLPrinter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compiles the threshold and anomaly forms to PromQL alerting rules (docs/alerting.md shows the mapping). */
public final class RuleForms {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:.]*");
    private static final Pattern PLAIN_METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");
    private static final Pattern PLAIN_LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern QUANTILE = Pattern.compile("p([0-9]{1,2}(\\.[0-9]+)?)");
    public static final String DEFAULT_WINDOW = "1m";
    public static final String DEFAULT_BASELINE = "1h";
    public static final double DEFAULT_K = 3;

    private RuleForms() {
    }

    public static RuleSpec compile(ThresholdForm f) {
        String name = requireName(f.name());
        String metric = requireMetric(f.metric());
        String aggregation = f.aggregation() == null || f.aggregation().isBlank() ? "avg"
                : f.aggregation().strip().toLowerCase(Locale.ROOT);
        String condition = f.condition() == null ? "" : f.condition().strip().toLowerCase(Locale.ROOT);
        if (!condition.equals("above") && !condition.equals("below")) {
            throw new RuleValidationException(0, "condition", "must be \"above\" or \"below\", got \""
                    + (f.condition() == null ? "" : f.condition()) + "\"");
        }
        if (f.threshold() == null || f.threshold().isNaN()) {
            throw new RuleValidationException(0, "threshold", "must be a number");
        }
        long forMs = optionalDuration(f.duration(), "duration", "0s");
        long windowMs = optionalDuration(f.window(), "window", DEFAULT_WINDOW);
        if (windowMs <= 0) {
            throw new RuleValidationException(0, "window", "must be positive");
        }
        boolean above = condition.equals("above");
        String selector = selector(metric, f.tags());
        String range = selector + "[" + Durations.format(windowMs) + "]";
        String by = groupBy(f.groupBy());
        String expr;
        Matcher q = QUANTILE.matcher(aggregation);
        if (q.matches()) {
            double quantile = Double.parseDouble(q.group(1)) / 100;
            if (quantile <= 0 || quantile >= 1) {
                throw new RuleValidationException(0, "aggregation", "quantile " + aggregation + " is outside p0..p100");
            }
            // The worst series' quantile over the window: exact per series, no averaging of quantiles.
            expr = (above ? "max" : "min") + by + "(quantile_over_time(" + number(quantile) + ", " + range + "))";
        } else {
            expr = switch (aggregation) {
                case "avg" -> "avg" + by + "(avg_over_time(" + range + "))";
                case "min" -> "min" + by + "(min_over_time(" + range + "))";
                case "max" -> "max" + by + "(max_over_time(" + range + "))";
                case "sum" -> "sum" + by + "(sum_over_time(" + range + "))";
                case "count" -> "sum" + by + "(count_over_time(" + range + "))";
                case "last" -> (above ? "max" : "min") + by + "(last_over_time(" + range + "))";
                default -> throw new RuleValidationException(0, "aggregation", "unknown aggregation \"" + f.aggregation()
                        + "\": use avg, min, max, sum, count, last or a quantile such as p99");
            };
        }
        expr = canonical(expr + (above ? " > " : " < ") + number(f.threshold()), "expr");
        Map<String, String> labels = labels(f.labels());
        Map<String, String> annotations = new LinkedHashMap<>(annotations(f.annotations()));
        annotations.putIfAbsent("summary", aggregation + " of " + metric + " is {{ $value }}, " + condition + " "
                + number(f.threshold()));
        return new RuleSpec(name, null, expr, forMs, 0, labels, annotations, RuleForm.THRESHOLD, channels(f.channels()));
    }

    public static RuleSpec compile(AnomalyForm f) {
        String name = requireName(f.name());
        String metric = requireMetric(f.metric());
        String direction = f.direction() == null || f.direction().isBlank() ? "outside"
                : f.direction().strip().toLowerCase(Locale.ROOT);
        if (!List.of("above", "below", "outside").contains(direction)) {
            throw new RuleValidationException(0, "direction", "must be \"above\", \"below\" or \"outside\", got \""
                    + f.direction() + "\"");
        }
        double k = f.k() == null ? DEFAULT_K : f.k();
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new RuleValidationException(0, "k", "must be a positive number of standard deviations, got " + k);
        }
        long baselineMs = optionalDuration(f.baseline(), "baseline", DEFAULT_BASELINE);
        if (baselineMs <= 0) {
            throw new RuleValidationException(0, "baseline", "must be positive");
        }
        long forMs = optionalDuration(f.duration(), "duration", "0s");
        String selector = selector(metric, f.tags());
        String baseline = Durations.format(baselineMs);
        String current;
        String window;
        boolean perSeries = (f.aggregation() == null || f.aggregation().isBlank())
                && (f.groupBy() == null || f.groupBy().isEmpty());
        if (perSeries) {
            current = selector;
            window = selector + "[" + baseline + "]";
        } else {
            String aggregation = f.aggregation() == null || f.aggregation().isBlank() ? "avg"
                    : f.aggregation().strip().toLowerCase(Locale.ROOT);
            if (!List.of("avg", "min", "max", "sum").contains(aggregation)) {
                throw new RuleValidationException(0, "aggregation", "unknown aggregation \"" + f.aggregation()
                        + "\": use avg, min, max or sum");
            }
            current = aggregation + groupBy(f.groupBy()) + "(" + selector + ")";
            window = "(" + current + ")[" + baseline + ":1m]";
        }
        String mean = "avg_over_time(" + window + ")";
        String band = number(k) + " * stddev_over_time(" + window + ")";
        String upper = current + " > " + mean + " + " + band;
        String lower = current + " < " + mean + " - " + band;
        String expr = switch (direction) {
            case "above" -> upper;
            case "below" -> lower;
            default -> "(" + upper + ") or (" + lower + ")";
        };
        expr = canonical(expr, "expr");
        Map<String, String> annotations = new LinkedHashMap<>(annotations(f.annotations()));
        annotations.putIfAbsent("summary", metric + " is {{ $value }}, " + direction + " its " + baseline + " baseline by more than "
                + number(k) + " standard deviations");
        return new RuleSpec(name, null, expr, forMs, 0, labels(f.labels()), annotations, RuleForm.ANOMALY,
                channels(f.channels()));
    }

    /** A selector for the metric and equality tags; dotted names use Prometheus 3's quoted form. */
    static String selector(String metric, Map<String, String> tags) {
        List<String> matchers = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(tags == null ? Map.of() : tags).entrySet()) {
            if (!LABEL_NAME.matcher(e.getKey()).matches()) {
                throw new RuleValidationException(0, "tags." + e.getKey(), "invalid label name \"" + e.getKey() + "\"");
            }
            String name = PLAIN_LABEL_NAME.matcher(e.getKey()).matches() ? e.getKey() : GoText.quote(e.getKey());
            matchers.add(name + "=" + GoText.quote(e.getValue()));
        }
        if (PLAIN_METRIC_NAME.matcher(metric).matches()) {
            return metric + (matchers.isEmpty() ? "" : "{" + String.join(", ", matchers) + "}");
        }
        matchers.add(0, GoText.quote(metric));
        return "{" + String.join(", ", matchers) + "}";
    }

    private static String groupBy(List<String> labels) {
        if (labels == null || labels.isEmpty()) {
            return " ";
        }
        List<String> names = new ArrayList<>();
        for (String l : labels) {
            if (!LABEL_NAME.matcher(l).matches()) {
                throw new RuleValidationException(0, "group_by", "invalid label name \"" + l + "\"");
            }
            names.add(PLAIN_LABEL_NAME.matcher(l).matches() ? l : GoText.quote(l));
        }
        return " by (" + String.join(", ", names) + ") ";
    }

    private static String canonical(String expr, String field) {
        try {
            return PromQLPrinter.format(PromQLParser.parse(expr));
        } catch (RuntimeException e) {
            throw new RuleValidationException(0, field, "compiled expression " + expr + " does not parse: "
                    + e.getMessage());
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new RuleValidationException(0, "name", "must be set");
        }
        return name.strip();
    }

    private static String requireMetric(String metric) {
        if (metric == null || !METRIC_NAME.matcher(metric).matches()) {
            throw new RuleValidationException(0, "metric", "invalid metric name \"" + (metric == null ? "" : metric)
                    + "\": must match " + METRIC_NAME.pattern());
        }
        return metric;
    }

    private static long optionalDuration(String value, String field, String fallback) {
        String text = value == null || value.isBlank() ? fallback : value.strip();
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RuleValidationException(0, field, e.getMessage());
        }
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> out = labels == null ? Map.of() : labels;
        RuleFileParser.validateTemplates(out, "labels", true);
        return out;
    }

    private static Map<String, String> annotations(Map<String, String> annotations) {
        Map<String, String> out = annotations == null ? Map.of() : annotations;
        RuleFileParser.validateTemplates(out, "annotations", false);
        return out;
    }

    private static List<String> channels(List<String> channels) {
        if (channels == null) {
            return List.of();
        }
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i) == null || channels.get(i).isBlank()) {
                throw new RuleValidationException(0, "channels[" + i + "]", "must not be empty");
            }
        }
        return List.copyOf(channels);
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
