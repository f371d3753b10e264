package io.tidemark.promql.eval;

import io.tidemark.promql.Expr;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import io.tidemark.promql.MatrixSelector;
import io.tidemark.promql.StringLiteral;
import io.tidemark.promql.VectorSelector;
import io.tidemark.promql.eval.Evaluator.StepFunction;
import io.tidemark.promql.eval.QueryResult.Sample;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The functions over instant vectors and scalars, applied at one step. */
final class InstantFunctions {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String BUCKET_LABEL = "le";
    private static final long MAX_EPOCH_SECONDS = 31_556_889_864_403_199L;

    private InstantFunctions() {
    }

    static StepFunction of(String name, List<Expr> args) {
        return switch (name) {
            case "abs" -> simple(Math::abs);
            case "ceil" -> simple(Math::ceil);
            case "floor" -> simple(Math::floor);
            case "exp" -> simple(Math::exp);
            case "sqrt" -> simple(Math::sqrt);
            case "ln" -> simple(Math::log);
            case "log2" -> simple(GoMath::log2);
            case "log10" -> simple(GoMath::log10);
            case "sin" -> simple(Math::sin);
            case "cos" -> simple(Math::cos);
            case "tan" -> simple(Math::tan);
            case "asin" -> simple(Math::asin);
            case "acos" -> simple(Math::acos);
            case "atan" -> simple(Math::atan);
            case "sinh" -> simple(Math::sinh);
            case "cosh" -> simple(Math::cosh);
            case "tanh" -> simple(Math::tanh);
            case "asinh" -> simple(GoMath::asinh);
            case "acosh" -> simple(GoMath::acosh);
            case "atanh" -> simple(GoMath::atanh);
            case "rad" -> simple(v -> v * Math.PI / 180);
            case "deg" -> simple(v -> v * 180 / Math.PI);
            case "sgn" -> simple(v -> v < 0 ? -1 : v > 0 ? 1 : v);
            case "pi" -> (v, ts) -> List.of(new Sample(Labels.EMPTY, ts, Math.PI));
            case "time" -> (v, ts) -> List.of(new Sample(Labels.EMPTY, ts, ts / 1000.0));
            case "vector" -> (v, ts) -> List.of(new Sample(Labels.EMPTY, ts, v.get(0).get(0).v()));
            case "scalar" -> (v, ts) -> List.of(new Sample(Labels.EMPTY, ts,
                    v.get(0).size() == 1 ? v.get(0).get(0).v() : Double.NaN));
            case "timestamp" -> (v, ts) -> timestamp(v.get(0));
            case "sort" -> (v, ts) -> sorted(v.get(0), false);
            case "sort_desc" -> (v, ts) -> sorted(v.get(0), true);
            case "clamp" -> (v, ts) -> clamp(v.get(0), v.get(1).get(0).v(), v.get(2).get(0).v());
            case "clamp_min" -> (v, ts) -> map(v.get(0), x -> Math.max(v.get(1).get(0).v(), x));
            case "clamp_max" -> (v, ts) -> map(v.get(0), x -> Math.min(v.get(1).get(0).v(), x));
            case "round" -> (v, ts) -> round(v.get(0), v.size() > 1 ? v.get(1).get(0).v() : 1);
            case "absent" -> absent(args.get(0));
            case "day_of_month" -> date(ZonedDateTime::getDayOfMonth);
            case "day_of_week" -> date(t -> t.getDayOfWeek().getValue() % 7);
            case "day_of_year" -> date(ZonedDateTime::getDayOfYear);
            case "days_in_month" -> date(t -> t.toLocalDate().lengthOfMonth());
            case "hour" -> date(ZonedDateTime::getHour);
            case "minute" -> date(ZonedDateTime::getMinute);
            case "month" -> date(ZonedDateTime::getMonthValue);
            case "year" -> date(ZonedDateTime::getYear);
            case "label_replace" -> labelReplace(args);
            case "label_join" -> labelJoin(args);
            case "histogram_quantile" -> (v, ts) -> histogramQuantile(v.get(0).get(0).v(), v.get(1));
            // Native histograms do not exist in Tidemark's storage: these see only float samples and skip them.
            case "histogram_count", "histogram_sum", "histogram_fraction" -> (v, ts) -> List.of();
            default -> throw new IllegalStateException("function " + name + " is not an instant-vector function");
        };
    }

    private static StepFunction simple(DoubleUnaryOperator f) {
        return (v, ts) -> map(v.get(0), f);
    }

    private static List<Sample> map(List<Sample> vec, DoubleUnaryOperator f) {
        List<Sample> out = new ArrayList<>(vec.size());
        for (Sample s : vec) {
            out.add(new Sample(s.labels().withoutMetricName(), s.t(), f.applyAsDouble(s.v())));
        }
        return out;
    }

    static List<Sample> timestamp(List<Sample> vec) {
        List<Sample> out = new ArrayList<>(vec.size());
        for (Sample s : vec) {
            out.add(new Sample(s.labels().withoutMetricName(), s.t(), s.t() / 1000.0));
        }
        return out;
    }

    /** sort: ascending, sort_desc: descending; NaN last in both (a stable sort). */
    private static List<Sample> sorted(List<Sample> vec, boolean descending) {
        List<Sample> out = new ArrayList<>(vec);
        Comparator<Sample> byValue = (a, b) -> {
            boolean an = Double.isNaN(a.v());
            boolean bn = Double.isNaN(b.v());
            if (an || bn) {
                return an == bn ? 0 : an ? 1 : -1;
            }
            int c = a.v() < b.v() ? -1 : a.v() > b.v() ? 1 : 0;
            return descending ? -c : c;
        };
        out.sort(byValue);
        return out;
    }

    private static List<Sample> clamp(List<Sample> vec, double min, double max) {
        if (max < min) {
            return List.of();
        }
        return map(vec, v -> Math.max(min, Math.min(max, v)));
    }

    private static List<Sample> round(List<Sample> vec, double toNearest) {
        double inverse = 1.0 / toNearest;
        return map(vec, v -> Math.floor(v * inverse + 0.5) / inverse);
    }

    private static StepFunction absent(Expr arg) {
        Labels labels = absentLabels(arg);
        return (v, ts) -> v.get(0).isEmpty() ? List.of(new Sample(labels, ts, 1)) : List.of();
    }

    /** The labels of absent()'s result: those matched by exactly one equality matcher of a plain selector. */
    static Labels absentLabels(Expr arg) {
        List<LabelMatcher> matchers;
        if (arg instanceof VectorSelector vs) {
            matchers = vs.matchers();
        } else if (arg instanceof MatrixSelector ms) {
            matchers = ms.vector().matchers();
        } else {
            return Labels.EMPTY;
        }
        Map<String, String> set = new HashMap<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (LabelMatcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.type() == MatchType.EQUAL && !seen.containsKey(m.name())) {
                set.put(m.name(), m.value());
                seen.put(m.name(), true);
            } else {
                set.remove(m.name());
            }
        }
        return Labels.of(set);
    }

    private static StepFunction date(ToDoubleFunction<ZonedDateTime> f) {
        return (v, ts) -> {
            if (v.isEmpty()) {
                ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(ts, 1000)).atZone(ZoneOffset.UTC);
                return List.of(new Sample(Labels.EMPTY, ts, f.applyAsDouble(t)));
            }
            List<Sample> out = new ArrayList<>(v.get(0).size());
            for (Sample s : v.get(0)) {
                long seconds = goFloatToInt64(s.v());
                double value = Double.NaN; // beyond the years Java's time API represents
                if (Math.abs(seconds) < MAX_EPOCH_SECONDS) {
                    value = f.applyAsDouble(Instant.ofEpochSecond(seconds).atZone(ZoneOffset.UTC));
                }
                out.add(new Sample(s.labels().withoutMetricName(), s.t(), value));
            }
            return out;
        };
    }

    /** Go's int64(f) on amd64: truncation, and the minimum int64 for NaN and out-of-range values. */
    private static long goFloatToInt64(double v) {
        if (Double.isNaN(v) || v >= 9.223372036854775807E18 || v < -9.223372036854775808E18) {
            return Long.MIN_VALUE;
        }
        return (long) v;
    }

    static String stringArg(Expr e) {
        return ((StringLiteral) Evaluator.unwrapParens(e)).value();
    }

    private static StepFunction labelReplace(List<Expr> args) {
        String dst = stringArg(args.get(1));
        String replacement = stringArg(args.get(2));
        String src = stringArg(args.get(3));
        String regex = stringArg(args.get(4));
        Pattern pattern;
        try {
            pattern = LabelMatcher.of(MatchType.REGEX, "x", regex).pattern();
        } catch (IllegalArgumentException e) {
            throw new PromQLEvalException("invalid regular expression in label_replace(): " + regex);
        }
        if (!LABEL_NAME.matcher(dst).matches()) {
            throw new PromQLEvalException("invalid destination label name in label_replace(): " + dst);
        }
        Map<String, Integer> groupNames = GoExpand.groupNames(regex);
        Map<Labels, Labels> cache = new HashMap<>();
        return (v, ts) -> {
            List<Sample> out = new ArrayList<>(v.get(0).size());
            for (Sample s : v.get(0)) {
                Labels result = cache.computeIfAbsent(s.labels(), l -> {
                    Matcher m = pattern.matcher(l.get(src));
                    if (!m.matches()) {
                        return l;
                    }
                    return l.with(dst, GoExpand.expand(replacement, m, groupNames));
                });
                out.add(new Sample(result, s.t(), s.v()));
            }
            return out;
        };
    }

    private static StepFunction labelJoin(List<Expr> args) {
        String dst = stringArg(args.get(1));
        String separator = stringArg(args.get(2));
        List<String> sources = new ArrayList<>();
        for (int i = 3; i < args.size(); i++) {
            String src = stringArg(args.get(i));
            if (!LABEL_NAME.matcher(src).matches()) {
                throw new PromQLEvalException("invalid source label name in label_join(): " + src);
            }
            sources.add(src);
        }
        if (!LABEL_NAME.matcher(dst).matches()) {
            throw new PromQLEvalException("invalid destination label name in label_join(): " + dst);
        }
        Map<Labels, Labels> cache = new HashMap<>();
        return (v, ts) -> {
            List<Sample> out = new ArrayList<>(v.get(0).size());
            for (Sample s : v.get(0)) {
                Labels result = cache.computeIfAbsent(s.labels(), l -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < sources.size(); i++) {
                        if (i > 0) {
                            b.append(separator);
                        }
                        b.append(l.get(sources.get(i)));
                    }
                    return l.with(dst, b.toString());
                });
                out.add(new Sample(result, s.t(), s.v()));
            }
            return out;
        };
    }

    /** histogram_quantile over classic buckets: series grouped by their labels without {@code le}. */
    private static List<Sample> histogramQuantile(double q, List<Sample> vec) {
        Map<Labels, List<Sample>> byHistogram = new LinkedHashMap<>();
        Map<Labels, Double> bounds = new HashMap<>();
        List<String> le = List.of(BUCKET_LABEL);
        for (Sample s : vec) {
            Double upper = GoMath.parseFloat(s.labels().get(BUCKET_LABEL));
            if (upper == null) {
                continue;
            }
            byHistogram.computeIfAbsent(s.labels().without(le), k -> new ArrayList<>()).add(s);
            bounds.put(s.labels(), upper);
        }
        List<Sample> out = new ArrayList<>(byHistogram.size());
        for (Map.Entry<Labels, List<Sample>> e : byHistogram.entrySet()) {
            List<Sample> buckets = e.getValue();
            double[] ub = new double[buckets.size()];
            double[] counts = new double[buckets.size()];
            for (int i = 0; i < buckets.size(); i++) {
                ub[i] = bounds.get(buckets.get(i).labels());
                counts[i] = buckets.get(i).v();
            }
            out.add(new Sample(e.getKey().withoutMetricName(), 0,
                    Quantiles.bucketQuantile(q, ub, counts, buckets.size())));
        }
        return out;
    }
}
