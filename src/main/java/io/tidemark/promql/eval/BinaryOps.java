package io.tidemark.promql.eval;

import io.tidemark.promql.Cardinality;
import io.tidemark.promql.Operator;
import io.tidemark.promql.VectorMatching;
import io.tidemark.promql.eval.QueryResult.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and instant vectors, with Prometheus' vector matching. */
final class BinaryOps {

    private BinaryOps() {
    }

    static double scalar(Operator op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> GoMath.pow(l, r);
            case MOD -> GoMath.mod(l, r);
            case ATAN2 -> Math.atan2(l, r);
            case EQLC -> l == r ? 1 : 0;
            case NEQ -> l != r ? 1 : 0;
            case GTR -> l > r ? 1 : 0;
            case LSS -> l < r ? 1 : 0;
            case GTE -> l >= r ? 1 : 0;
            case LTE -> l <= r ? 1 : 0;
            default -> throw new IllegalStateException("operator " + op + " not allowed for Scalar operations");
        };
    }

    /** Whether a comparison holds; arithmetic operators always "hold". */
    static boolean keeps(Operator op, double l, double r) {
        return switch (op) {
            case EQLC -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> true;
        };
    }

    /** The value of an element-wise operation: the computed value, or the left value for comparisons. */
    static double value(Operator op, double l, double r) {
        return op.isComparison() ? l : scalar(op, l, r);
    }

    static boolean dropsMetricName(Operator op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, POW, MOD -> true;
            default -> false;
        };
    }

    /** vector op scalar (or scalar op vector when {@code swap}): comparisons filter, or give 0/1 with bool. */
    static List<Sample> vectorScalar(Operator op, List<Sample> vec, double scalar, boolean swap, boolean returnBool) {
        List<Sample> out = new ArrayList<>(vec.size());
        for (Sample s : vec) {
            double l = s.v();
            double r = scalar;
            if (swap) {
                l = scalar;
                r = s.v();
            }
            boolean keep = keeps(op, l, r);
            double value = value(op, l, r);
            if (op.isComparison() && swap) {
                value = r; // the vector element keeps its own value
            }
            if (returnBool) {
                value = keep ? 1 : 0;
                keep = true;
            }
            if (keep) {
                Labels labels = dropsMetricName(op) || returnBool ? s.labels().withoutMetricName() : s.labels();
                out.add(new Sample(labels, s.t(), value));
            }
        }
        return out;
    }

    /** A vector-vector operation with its matching; {@link #apply} is called once per step. */
    static final class VectorOp {
        private final Operator op;
        private final VectorMatching matching;
        private final boolean returnBool;
        private final Set<String> matchingNames;
        private final Set<String> ignoringWithName;

        VectorOp(Operator op, VectorMatching matching, boolean returnBool) {
            this.op = op;
            this.matching = matching == null ? VectorMatching.oneToOne() : matching;
            this.returnBool = returnBool;
            this.matchingNames = Set.copyOf(this.matching.matchingLabels());
            Set<String> ign = new HashSet<>(this.matching.matchingLabels());
            ign.add(Labels.METRIC_NAME);
            this.ignoringWithName = ign;
        }

        /** The labels two samples are matched on. */
        Labels signature(Labels l) {
            return matching.on() ? l.keep(matchingNames) : l.without(ignoringWithName);
        }

        List<Sample> apply(List<Sample> lhs, List<Sample> rhs) {
            return switch (op) {
                case AND -> and(lhs, rhs);
                case OR -> or(lhs, rhs);
                case UNLESS -> unless(lhs, rhs);
                default -> arithmeticOrComparison(lhs, rhs);
            };
        }

        private List<Sample> and(List<Sample> lhs, List<Sample> rhs) {
            if (lhs.isEmpty() || rhs.isEmpty()) {
                return List.of();
            }
            Set<Labels> right = new HashSet<>();
            for (Sample s : rhs) {
                right.add(signature(s.labels()));
            }
            List<Sample> out = new ArrayList<>();
            for (Sample s : lhs) {
                if (right.contains(signature(s.labels()))) {
                    out.add(s);
                }
            }
            return out;
        }

        private List<Sample> or(List<Sample> lhs, List<Sample> rhs) {
            if (lhs.isEmpty()) {
                return rhs;
            }
            if (rhs.isEmpty()) {
                return lhs;
            }
            Set<Labels> left = new HashSet<>();
            List<Sample> out = new ArrayList<>(lhs);
            for (Sample s : lhs) {
                left.add(signature(s.labels()));
            }
            for (Sample s : rhs) {
                if (!left.contains(signature(s.labels()))) {
                    out.add(s);
                }
            }
            return out;
        }

        private List<Sample> unless(List<Sample> lhs, List<Sample> rhs) {
            if (lhs.isEmpty() || rhs.isEmpty()) {
                return lhs;
            }
            Set<Labels> right = new HashSet<>();
            for (Sample s : rhs) {
                right.add(signature(s.labels()));
            }
            List<Sample> out = new ArrayList<>();
            for (Sample s : lhs) {
                if (!right.contains(signature(s.labels()))) {
                    out.add(s);
                }
            }
            return out;
        }

        private List<Sample> arithmeticOrComparison(List<Sample> lhs, List<Sample> rhs) {
            if (lhs.isEmpty() || rhs.isEmpty()) {
                return List.of();
            }
            Cardinality card = matching.card();
            boolean swapped = card == Cardinality.ONE_TO_MANY;
            List<Sample> many = swapped ? rhs : lhs;
            List<Sample> one = swapped ? lhs : rhs;
            Map<Labels, Sample> oneBySig = new HashMap<>();
            for (Sample s : one) {
                Labels sig = signature(s.labels());
                Sample dup = oneBySig.put(sig, s);
                if (dup != null) {
                    throw new PromQLEvalException("found duplicate series for the match group " + sig.toPromString()
                            + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: ["
                            + s.labels().toPromString() + ", " + dup.labels().toPromString()
                            + "];many-to-many matching not allowed: matching labels must be unique on one side");
                }
            }
            Map<Labels, Set<Labels>> matched = new HashMap<>();
            List<Sample> out = new ArrayList<>();
            for (Sample ls : many) {
                Labels sig = signature(ls.labels());
                Sample rs = oneBySig.get(sig);
                if (rs == null) {
                    continue;
                }
                double l = ls.v();
                double r = rs.v();
                if (swapped) {
                    l = rs.v();
                    r = ls.v();
                }
                boolean keep = keeps(op, l, r);
                double value = value(op, l, r);
                if (returnBool) {
                    value = keep ? 1 : 0;
                } else if (!keep) {
                    continue;
                }
                Labels metric = resultMetric(ls.labels(), rs.labels());
                if (returnBool) {
                    metric = metric.withoutMetricName();
                }
                Set<Labels> inserted = matched.get(sig);
                if (card == Cardinality.ONE_TO_ONE) {
                    if (inserted != null) {
                        throw new PromQLEvalException("multiple matches for labels: many-to-one matching must be "
                                + "explicit (group_left/group_right)");
                    }
                    matched.put(sig, Set.of());
                } else {
                    if (inserted == null) {
                        inserted = new HashSet<>();
                        matched.put(sig, inserted);
                    }
                    if (!inserted.add(metric)) {
                        throw new PromQLEvalException(
                                "multiple matches for labels: grouping labels must ensure unique matches");
                    }
                }
                out.add(new Sample(metric, ls.t(), value));
            }
            return out;
        }

        /** The labels of a result element: the "many" side's, adjusted by the operator and the matching. */
        private Labels resultMetric(Labels many, Labels one) {
            Labels m = many;
            if (dropsMetricName(op)) {
                m = m.withoutMetricName();
            }
            if (matching.card() == Cardinality.ONE_TO_ONE) {
                m = matching.on() ? m.keep(matchingNames) : m.without(matchingNames);
            }
            for (String name : matching.include()) {
                m = m.with(name, one.get(name));
            }
            return m;
        }
    }
}
