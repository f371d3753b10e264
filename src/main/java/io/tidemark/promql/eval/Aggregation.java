package io.tidemark.promql.eval;

import io.tidemark.promql.AggregateOp;
import io.tidemark.promql.eval.QueryResult.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** One aggregation ({@code sum by (job) (...)}) applied to the vector of one step. */
final class Aggregation {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final AggregateOp op;
    private final Set<String> grouping;
    private final boolean without;
    private final Set<String> withoutAndName;

    Aggregation(AggregateOp op, List<String> grouping, boolean without) {
        this.op = op;
        this.grouping = new TreeSet<>(grouping);
        this.without = without;
        Set<String> w = new HashSet<>(grouping);
        w.add(Labels.METRIC_NAME);
        this.withoutAndName = w;
    }

    /** One group's running state. */
    private static final class Group {
        final Labels labels;
        double value;
        double mean;
        int count;
        GoHeap heap;
        List<Double> values;

        Group(Labels labels) {
            this.labels = labels;
        }
    }

    private Labels groupLabels(Labels metric, Set<String> by) {
        if (without) {
            return metric.without(withoutAndName);
        }
        return by.isEmpty() ? Labels.EMPTY : metric.keep(by);
    }

    List<Sample> apply(List<Sample> vec, double param, String stringParam) {
        long k = 0;
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
            if (!(param <= 9.223372036854775807E18 && param >= -9.223372036854775808E18)) {
                throw new PromQLEvalException("Scalar value " + GoMath.formatG(param) + " overflows int64");
            }
            k = (long) param;
            if (k < 1) {
                return List.of();
            }
        }
        Set<String> by = grouping;
        if (op == AggregateOp.COUNT_VALUES) {
            if (!LABEL_NAME.matcher(stringParam).matches()) {
                throw new PromQLEvalException("invalid label name " + Labels.goQuote(stringParam));
            }
            if (!without) {
                by = new TreeSet<>(grouping);
                by.add(stringParam);
            }
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (Sample s : vec) {
            Labels metric = s.labels();
            if (op == AggregateOp.COUNT_VALUES) {
                metric = metric.with(stringParam, GoMath.formatPlain(s.v()));
            }
            Labels key = groupLabels(metric, by);
            Group g = groups.get(key);
            double v = s.v();
            if (g == null) {
                g = new Group(key);
                g.value = v;
                g.mean = v;
                g.count = 1;
                switch (op) {
                    case STDVAR, STDDEV -> g.value = 0;
                    case TOPK -> {
                        g.heap = new GoHeap(false);
                        g.heap.push(new Sample(s.labels(), s.t(), v));
                    }
                    case BOTTOMK -> {
                        g.heap = new GoHeap(true);
                        g.heap.push(new Sample(s.labels(), s.t(), v));
                    }
                    case QUANTILE -> {
                        g.values = new ArrayList<>();
                        g.values.add(v);
                    }
                    case GROUP -> g.value = 1;
                    default -> {
                    }
                }
                groups.put(key, g);
                continue;
            }
            switch (op) {
                case SUM -> g.value += v;
                case AVG -> {
                    g.count++;
                    if (Double.isInfinite(g.mean)) {
                        if (Double.isInfinite(v) && (g.mean > 0) == (v > 0)) {
                            break;
                        }
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                            break;
                        }
                    }
                    g.mean += v / g.count - g.mean / g.count;
                }
                case GROUP -> {
                }
                case MAX -> {
                    if (g.value < v || Double.isNaN(g.value)) {
                        g.value = v;
                    }
                }
                case MIN -> {
                    if (g.value > v || Double.isNaN(g.value)) {
                        g.value = v;
                    }
                }
                case COUNT, COUNT_VALUES -> g.count++;
                case STDVAR, STDDEV -> {
                    g.count++;
                    double delta = v - g.mean;
                    g.mean += delta / g.count;
                    g.value += delta * (v - g.mean);
                }
                case TOPK -> {
                    if (g.heap.size() < k || g.heap.top().v() < v || Double.isNaN(g.heap.top().v())) {
                        Sample ns = new Sample(s.labels(), s.t(), v);
                        if (g.heap.size() == k) {
                            if (k == 1) {
                                g.heap.replaceTop(ns);
                                break;
                            }
                            g.heap.pop();
                        }
                        g.heap.push(ns);
                    }
                }
                case BOTTOMK -> {
                    if (g.heap.size() < k || g.heap.top().v() > v || Double.isNaN(g.heap.top().v())) {
                        Sample ns = new Sample(s.labels(), s.t(), v);
                        if (g.heap.size() == k) {
                            if (k == 1) {
                                g.heap.replaceTop(ns);
                                break;
                            }
                            g.heap.pop();
                        }
                        g.heap.push(ns);
                    }
                }
                case QUANTILE -> g.values.add(v);
                default -> throw new IllegalStateException("unknown aggregation " + op);
            }
        }
        List<Sample> out = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            double value = g.value;
            switch (op) {
                case AVG -> value = g.mean;
                case COUNT, COUNT_VALUES -> value = g.count;
                case STDVAR -> value = g.value / g.count;
                case STDDEV -> value = Math.sqrt(g.value / g.count);
                case TOPK, BOTTOMK -> {
                    for (Sample s : g.heap.sortedBest()) {
                        out.add(s);
                    }
                    continue;
                }
                case QUANTILE -> value = Quantiles.quantile(param, g.values);
                default -> {
                }
            }
            out.add(new Sample(g.labels, 0, value));
        }
        return out;
    }
}
