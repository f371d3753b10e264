package io.tidemark.promql.eval;

import io.tidemark.promql.AggregateExpr;
import io.tidemark.promql.AggregateOp;
import io.tidemark.promql.BinaryExpr;
import io.tidemark.promql.Call;
import io.tidemark.promql.Expr;
import io.tidemark.promql.MatrixSelector;
import io.tidemark.promql.NumberLiteral;
import io.tidemark.promql.Operator;
import io.tidemark.promql.ParenExpr;
import io.tidemark.promql.StringLiteral;
import io.tidemark.promql.SubqueryExpr;
import io.tidemark.promql.UnaryExpr;
import io.tidemark.promql.ValueType;
import io.tidemark.promql.VectorSelector;
import io.tidemark.promql.eval.QueryResult.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an expression at every step of {@code [start, end]} (Prometheus' evaluator): instant-vector and scalar
 * expressions yield a {@link Mat} with one point per step where the expression has a value; a string literal
 * yields its String. An instant query is a range of one step.
 */
final class Evaluator {

    /** The function applied at each step to the vectors of its arguments (a scalar is a one-sample vector). */
    interface StepFunction {
        List<Sample> apply(List<List<Sample>> args, long ts);
    }

    private final QueryContext q;
    final long start;
    final long end;
    final long interval;

    Evaluator(QueryContext q, long start, long end, long interval) {
        this.q = q;
        this.start = start;
        this.end = end;
        this.interval = interval;
    }

    int steps() {
        return (int) ((end - start) / interval) + 1;
    }

    Object eval(Expr expr) {
        if (start != end && q.stepInvariant.contains(expr)
                && !(expr instanceof NumberLiteral) && !(expr instanceof StringLiteral)) {
            return evalStepInvariant(expr);
        }
        if (expr instanceof NumberLiteral n) {
            return rangeEval((args, ts) -> List.of(new Sample(Labels.EMPTY, ts, n.value())));
        }
        if (expr instanceof StringLiteral s) {
            return s.value();
        }
        if (expr instanceof ParenExpr p) {
            return eval(p.expr());
        }
        if (expr instanceof UnaryExpr u) {
            return evalUnary(u);
        }
        if (expr instanceof BinaryExpr b) {
            return evalBinary(b);
        }
        if (expr instanceof AggregateExpr a) {
            return evalAggregate(a);
        }
        if (expr instanceof Call c) {
            return evalCall(c);
        }
        if (expr instanceof VectorSelector vs) {
            return evalVectorSelector(vs);
        }
        if (expr instanceof MatrixSelector ms) {
            if (start != end) {
                throw new IllegalStateException("cannot do range evaluation of matrix selector");
            }
            return evalMatrixSelector(ms);
        }
        if (expr instanceof SubqueryExpr sq) {
            return evalSubquery(sq);
        }
        throw new IllegalStateException("unhandled expression " + expr);
    }

    Mat evalMat(Expr expr) {
        return (Mat) eval(expr);
    }

    /** Evaluates at the first step only and repeats the result at every step, as Prometheus does. */
    private Object evalStepInvariant(Expr expr) {
        Evaluator once = new Evaluator(q, start, start, interval);
        Object res = once.eval(expr);
        if (expr instanceof MatrixSelector || expr instanceof SubqueryExpr || !(res instanceof Mat mat)) {
            return res;
        }
        for (StepSeries s : mat.series()) {
            double v = s.vs[0];
            for (long ts = start + interval; ts <= end; ts += interval) {
                s.add(ts, v);
                q.add(1);
            }
        }
        return mat;
    }

    /**
     * Evaluates the arguments over the whole range, then calls {@code f} once per step with the samples each
     * argument has at that step, and collects the results into series (Prometheus' rangeEval). String arguments
     * are not evaluated (functions read them from the AST).
     */
    Mat rangeEval(StepFunction f, Expr... exprs) {
        long original = q.samples;
        List<List<StepSeries>> inputs = new ArrayList<>(exprs.length);
        for (Expr e : exprs) {
            if (e != null && e.type() != ValueType.STRING) {
                inputs.add(evalMat(e).series());
            } else {
                inputs.add(List.of());
            }
        }
        int[][] cursors = new int[exprs.length][];
        for (int i = 0; i < exprs.length; i++) {
            cursors[i] = new int[inputs.get(i).size()];
        }
        int steps = steps();
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        long held = q.samples;
        for (long ts = start; ts <= end; ts += interval) {
            q.samples = held;
            List<List<Sample>> args = new ArrayList<>(exprs.length);
            for (int i = 0; i < exprs.length; i++) {
                List<StepSeries> in = inputs.get(i);
                List<Sample> vec = new ArrayList<>(in.size());
                int[] cur = cursors[i];
                for (int si = 0; si < in.size(); si++) {
                    StepSeries s = in.get(si);
                    if (cur[si] < s.size && s.ts[cur[si]] == ts) {
                        vec.add(new Sample(s.labels, ts, s.vs[cur[si]]));
                        cur[si]++;
                        q.add(1);
                    }
                }
                args.add(vec);
            }
            List<Sample> result = f.apply(args, ts);
            if (containsSameLabelset(result)) {
                throw new PromQLEvalException("vector cannot contain metrics with the same labelset");
            }
            q.add(result.size());
            held += result.size();
            if (start == end) {
                List<StepSeries> mat = new ArrayList<>(result.size());
                for (Sample s : result) {
                    StepSeries ss = new StepSeries(s.labels(), 1);
                    ss.add(ts, s.v());
                    mat.add(ss);
                }
                q.samples = original + result.size();
                return new Mat(mat);
            }
            for (Sample s : result) {
                out.computeIfAbsent(s.labels(), l -> new StepSeries(l, Math.min(steps, 64))).add(ts, s.v());
            }
        }
        Mat mat = new Mat(new ArrayList<>(out.values()));
        q.samples = original + mat.points();
        return mat;
    }

    static boolean containsSameLabelset(List<Sample> vec) {
        if (vec.size() < 2) {
            return false;
        }
        Set<Labels> seen = new HashSet<>();
        for (Sample s : vec) {
            if (!seen.add(s.labels())) {
                return true;
            }
        }
        return false;
    }

    // --- selectors ---

    private Mat evalVectorSelector(VectorSelector vs) {
        List<RawSeries> series = q.series(vs);
        List<StepSeries> out = new ArrayList<>(series.size());
        long lookback = q.options.lookbackDeltaMs();
        int steps = steps();
        for (RawSeries s : series) {
            StepSeries ss = null;
            int idx = -1; // index of the latest sample at or before the reference time
            long lastRef = Long.MIN_VALUE;
            for (long ts = start; ts <= end; ts += interval) {
                long ref = referenceTime(vs, ts);
                if (ref < lastRef) {
                    idx = -1;
                }
                lastRef = ref;
                idx = latestAtOrBefore(s.timestamps(), ref, idx);
                if (idx < 0) {
                    continue;
                }
                long t = s.timestamps()[idx];
                double v = s.values()[idx];
                if (t < ref - lookback || StaleNaN.is(v)) {
                    continue;
                }
                if (ss == null) {
                    ss = new StepSeries(s.labels(), Math.min(steps, 64));
                }
                q.add(1);
                ss.add(ts, v);
            }
            if (ss != null) {
                out.add(ss);
            }
        }
        return new Mat(out);
    }

    /** The instant samples of a selector at one time, with their own timestamps (for {@code timestamp()}). */
    List<Sample> vectorSelectorAt(VectorSelector vs, long ref) {
        List<Sample> out = new ArrayList<>();
        long lookback = q.options.lookbackDeltaMs();
        for (RawSeries s : q.series(vs)) {
            int idx = latestAtOrBefore(s.timestamps(), ref, -1);
            if (idx < 0) {
                continue;
            }
            long t = s.timestamps()[idx];
            double v = s.values()[idx];
            if (t < ref - lookback || StaleNaN.is(v)) {
                continue;
            }
            q.add(1);
            out.add(new Sample(s.labels(), t, v));
        }
        return out;
    }

    /**
     * The time a selector reads at step {@code ts}: {@code ts - offset}, or with {@code @} the fixed time minus the
     * offset. Like Prometheus 2.42, which turns {@code @} into an offset relative to the evaluation start, a
     * selector with {@code @} inside an expression that is not step-invariant moves along with the steps.
     */
    long referenceTime(VectorSelector vs, long ts) {
        if (vs.at() == null) {
            return ts - vs.offsetMillis();
        }
        return q.resolve(vs.at()) - vs.offsetMillis() + (ts - start);
    }

    /** The index of the last timestamp ≤ ref, searching forward from {@code from} (or -1 if none). */
    static int latestAtOrBefore(long[] ts, long ref, int from) {
        int i = Math.max(from, -1);
        if (i >= 0 && ts[i] > ref) {
            i = -1;
        }
        if (ts.length - i > 16) {
            int lo = i + 1;
            int hi = ts.length - 1;
            int found = i;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (ts[mid] <= ref) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }
        while (i + 1 < ts.length && ts[i + 1] <= ref) {
            i++;
        }
        return i;
    }

    /** The raw samples of a range selector at the (single) evaluation time: the result of {@code x[5m]}. */
    private Mat evalMatrixSelector(MatrixSelector ms) {
        VectorSelector vs = ms.vector();
        long maxt = referenceTime(vs, start);
        long mint = maxt - ms.rangeMillis();
        List<StepSeries> out = new ArrayList<>();
        for (RawSeries raw : q.series(vs)) {
            RawSeries s = q.withoutStaleMarkers(raw);
            int from = firstAtOrAfter(s.timestamps(), mint);
            int to = latestAtOrBefore(s.timestamps(), maxt, -1) + 1;
            if (to <= from) {
                continue;
            }
            q.add(to - from);
            StepSeries ss = new StepSeries(s.labels(), to - from);
            for (int i = from; i < to; i++) {
                ss.add(s.timestamps()[i], s.values()[i]);
            }
            out.add(ss);
        }
        return new Mat(out);
    }

    static int firstAtOrAfter(long[] ts, long t) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * A subquery: the inner expression evaluated at the multiples of the subquery step that fall in
     * {@code [start - offset - range, end - offset]} (or around the {@code @} time).
     */
    Mat evalSubquery(SubqueryExpr sq) {
        long step = sq.stepMillis() != 0 ? sq.stepMillis() : q.options.defaultSubqueryStepMs();
        long refStart;
        long refEnd;
        if (sq.at() != null) {
            long at = q.resolve(sq.at());
            refStart = at - sq.offsetMillis();
            refEnd = at - sq.offsetMillis() + (end - start);
        } else {
            refStart = start - sq.offsetMillis();
            refEnd = end - sq.offsetMillis();
        }
        long first = refStart - sq.rangeMillis();
        // The first multiple of the step at or after `first` (Go's truncating division, as in Prometheus).
        long alignedStart = step * (first / step);
        if (alignedStart < first) {
            alignedStart += step;
        }
        if (alignedStart > refEnd) {
            return new Mat(List.of());
        }
        Evaluator inner = new Evaluator(q, alignedStart, refEnd, step);
        return inner.evalMat(sq.expr());
    }

    // --- operators ---

    private Mat evalUnary(UnaryExpr u) {
        Mat m = evalMat(u.expr());
        if (u.op() != Operator.SUB) {
            return m;
        }
        List<StepSeries> out = new ArrayList<>(m.series().size());
        for (StepSeries s : m.series()) {
            double[] vs = new double[s.size];
            for (int i = 0; i < s.size; i++) {
                vs[i] = -s.vs[i];
            }
            out.add(new StepSeries(s.labels.withoutMetricName(), s.ts, vs, s.size));
        }
        Mat neg = new Mat(out);
        if (neg.hasDuplicateLabels()) {
            throw new PromQLEvalException("vector cannot contain metrics with the same labelset");
        }
        return neg;
    }

    private Mat evalBinary(BinaryExpr b) {
        ValueType lt = b.lhs().type();
        ValueType rt = b.rhs().type();
        Operator op = b.op();
        if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            return rangeEval((v, ts) -> List.of(new Sample(Labels.EMPTY, ts,
                    BinaryOps.scalar(op, v.get(0).get(0).v(), v.get(1).get(0).v()))), b.lhs(), b.rhs());
        }
        if (lt == ValueType.INSTANT_VECTOR && rt == ValueType.INSTANT_VECTOR) {
            BinaryOps.VectorOp vop = new BinaryOps.VectorOp(op, b.vectorMatching(), b.returnBool());
            return rangeEval((v, ts) -> vop.apply(v.get(0), v.get(1)), b.lhs(), b.rhs());
        }
        if (lt == ValueType.INSTANT_VECTOR) {
            return rangeEval((v, ts) -> BinaryOps.vectorScalar(op, v.get(0), v.get(1).get(0).v(), false,
                    b.returnBool()), b.lhs(), b.rhs());
        }
        return rangeEval((v, ts) -> BinaryOps.vectorScalar(op, v.get(1), v.get(0).get(0).v(), true,
                b.returnBool()), b.lhs(), b.rhs());
    }

    private Mat evalAggregate(AggregateExpr a) {
        Expr param = a.param() == null ? null : unwrapParens(a.param());
        Aggregation agg = new Aggregation(a.op(), a.grouping(), a.without());
        if (param instanceof StringLiteral s) {
            return rangeEval((v, ts) -> agg.apply(v.get(0), Double.NaN, s.value()), a.expr());
        }
        if (param == null) {
            return rangeEval((v, ts) -> agg.apply(v.get(1), Double.NaN, null), null, a.expr());
        }
        if (a.op() == AggregateOp.COUNT_VALUES) {
            throw new IllegalStateException("count_values needs a string parameter");
        }
        return rangeEval((v, ts) -> agg.apply(v.get(1), v.get(0).get(0).v(), null), param, a.expr());
    }

    static Expr unwrapParens(Expr e) {
        while (e instanceof ParenExpr p) {
            e = p.expr();
        }
        return e;
    }

    // --- functions ---

    private Mat evalCall(Call c) {
        String name = c.function().name();
        List<Expr> args = new ArrayList<>(c.args().size());
        for (Expr a : c.args()) {
            args.add(unwrapParens(a));
        }
        if (name.equals("timestamp") && args.get(0) instanceof VectorSelector vs) {
            // timestamp(selector) reports the samples' own timestamps, not the evaluation time.
            return rangeEval((v, ts) -> {
                long ref = (vs.at() != null ? q.resolve(vs.at()) : ts) - vs.offsetMillis();
                return InstantFunctions.timestamp(vectorSelectorAt(vs, ref));
            });
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) instanceof MatrixSelector || args.get(i) instanceof SubqueryExpr) {
                return RangeFunctions.evaluate(this, q, name, args, i);
            }
        }
        StepFunction f = InstantFunctions.of(name, args);
        // The original arguments: a parenthesised argument may be a step-invariant node.
        return rangeEval(f, c.args().toArray(new Expr[0]));
    }
}
