package io.tidemark.promql.eval;

import io.tidemark.promql.AtModifier;
import io.tidemark.promql.Expr;
import io.tidemark.promql.MatrixSelector;
import io.tidemark.promql.SubqueryExpr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The functions over range vectors ({@code rate(x[5m])}, {@code avg_over_time(f(x)[1h:1m])}, ...): for each series
 * and each step, the samples in the closed window {@code [t - range, t]} (t = step time minus offset, or the
 * {@code @} time) are reduced to one value.
 */
final class RangeFunctions {

    private RangeFunctions() {
    }

    /** The samples of one window: {@code ts[from..to)}, {@code vs[from..to)}, and the window's bounds. */
    record Window(long[] ts, double[] vs, int from, int to, long rangeStart, long rangeEnd, long rangeMillis,
                  long evalTime) {
        int count() {
            return to - from;
        }
    }

    /** A range function; returns false when the window yields no sample. */
    interface WindowFunction {
        boolean apply(Window w, double[] scalarArgs, double[] out);
    }

    static Mat evaluate(Evaluator ev, QueryContext q, String name, List<Expr> args, int matrixIndex) {
        long original = q.samples;
        int steps = ev.steps();
        // The scalar arguments, one value per step.
        double[][] scalars = new double[args.size()][];
        for (int i = 0; i < args.size(); i++) {
            if (i != matrixIndex) {
                Mat m = ev.evalMat(args.get(i));
                double[] perStep = new double[steps];
                StepSeries s = m.series().get(0);
                for (int k = 0; k < steps; k++) {
                    perStep[k] = s.vs[k];
                }
                scalars[i] = perStep;
            }
        }
        Expr matrixArg = args.get(matrixIndex);
        List<RawSeries> input = new ArrayList<>();
        long offset;
        long range;
        AtModifier at;
        long subquerySamples = 0;
        if (matrixArg instanceof MatrixSelector ms) {
            for (RawSeries s : q.series(ms.vector())) {
                input.add(q.withoutStaleMarkers(s));
            }
            offset = ms.vector().offsetMillis();
            range = ms.rangeMillis();
            at = ms.vector().at();
        } else {
            SubqueryExpr sq = (SubqueryExpr) matrixArg;
            Mat m = ev.evalSubquery(sq);
            for (StepSeries s : m.series()) {
                input.add(new RawSeries(s.labels, java.util.Arrays.copyOf(s.ts, s.size),
                        java.util.Arrays.copyOf(s.vs, s.size)));
                subquerySamples += s.size;
            }
            offset = sq.offsetMillis();
            range = sq.rangeMillis();
            at = sq.at();
        }
        WindowFunction f = of(name);
        boolean keepName = name.equals("last_over_time");
        double[] scalarArgs = new double[args.size()];
        double[] result = new double[1];
        List<StepSeries> out = new ArrayList<>();
        long windowHeld = 0;
        for (RawSeries s : input) {
            long[] ts = s.timestamps();
            double[] vs = s.values();
            StepSeries ss = null;
            int from = 0;
            int to = 0;
            int step = -1;
            for (long t = ev.start; t <= ev.end; t += ev.interval) {
                step++;
                long maxt = at == null ? t - offset : q.resolve(at) - offset + (t - ev.start);
                long mint = maxt - range;
                while (to < ts.length && ts[to] <= maxt) {
                    to++;
                }
                if (from > to) {
                    from = to;
                }
                while (from < to && ts[from] < mint) {
                    from++;
                }
                if (from >= to) {
                    continue;
                }
                q.samples += (to - from) - windowHeld;
                windowHeld = to - from;
                q.add(0);
                for (int i = 0; i < args.size(); i++) {
                    if (i != matrixIndex) {
                        scalarArgs[i] = scalars[i][step];
                    }
                }
                Window w = new Window(ts, vs, from, to, mint, maxt, range, t);
                if (f.apply(w, scalarArgs, result)) {
                    if (ss == null) {
                        ss = new StepSeries(keepName ? s.labels() : s.labels().withoutMetricName(),
                                Math.min(steps, 64));
                    }
                    ss.add(t, result[0]);
                }
            }
            if (ss != null) {
                q.add(ss.size);
                out.add(ss);
            }
        }
        q.samples -= windowHeld;
        if (name.equals("absent_over_time")) {
            q.samples = original;
            return absentOverTime(ev, out, args.get(matrixIndex));
        }
        Mat mat = new Mat(out);
        if (mat.hasDuplicateLabels()) {
            throw new PromQLEvalException("vector cannot contain metrics with the same labelset");
        }
        q.samples = original + mat.points();
        return mat;
    }

    /** absent_over_time: 1 at the steps where no series had a sample in its window. */
    private static Mat absentOverTime(Evaluator ev, List<StepSeries> present, Expr arg) {
        Set<Long> found = new HashSet<>();
        for (StepSeries s : present) {
            for (int i = 0; i < s.size; i++) {
                found.add(s.ts[i]);
            }
        }
        StepSeries result = new StepSeries(InstantFunctions.absentLabels(arg), 16);
        for (long t = ev.start; t <= ev.end; t += ev.interval) {
            if (!found.contains(t)) {
                result.add(t, 1);
            }
        }
        return new Mat(result.size == 0 ? List.of() : List.of(result));
    }

    static WindowFunction of(String name) {
        return switch (name) {
            case "rate" -> (w, a, out) -> extrapolatedRate(w, true, true, out);
            case "increase" -> (w, a, out) -> extrapolatedRate(w, true, false, out);
            case "delta" -> (w, a, out) -> extrapolatedRate(w, false, false, out);
            case "irate" -> (w, a, out) -> instantValue(w, true, out);
            case "idelta" -> (w, a, out) -> instantValue(w, false, out);
            case "deriv" -> (w, a, out) -> {
                if (w.count() < 2) {
                    return false;
                }
                out[0] = linearRegression(w, w.ts()[w.from()])[0];
                return true;
            };
            case "predict_linear" -> (w, a, out) -> {
                if (w.count() < 2) {
                    return false;
                }
                double[] si = linearRegression(w, w.evalTime());
                out[0] = si[0] * a[1] + si[1];
                return true;
            };
            case "holt_winters" -> RangeFunctions::holtWinters;
            case "resets" -> (w, a, out) -> {
                int resets = 0;
                for (int i = w.from() + 1; i < w.to(); i++) {
                    if (w.vs()[i] < w.vs()[i - 1]) {
                        resets++;
                    }
                }
                out[0] = resets;
                return true;
            };
            case "changes" -> (w, a, out) -> {
                int changes = 0;
                for (int i = w.from() + 1; i < w.to(); i++) {
                    double cur = w.vs()[i];
                    double prev = w.vs()[i - 1];
                    if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
                        changes++;
                    }
                }
                out[0] = changes;
                return true;
            };
            case "avg_over_time" -> (w, a, out) -> value(out, avgOverTime(w));
            case "sum_over_time" -> (w, a, out) -> {
                double[] sc = new double[2];
                for (int i = w.from(); i < w.to(); i++) {
                    kahanAdd(w.vs()[i], sc);
                }
                return value(out, Double.isInfinite(sc[0]) ? sc[0] : sc[0] + sc[1]);
            };
            case "count_over_time" -> (w, a, out) -> value(out, w.count());
            case "min_over_time" -> (w, a, out) -> {
                double min = w.vs()[w.from()];
                for (int i = w.from(); i < w.to(); i++) {
                    double v = w.vs()[i];
                    if (v < min || Double.isNaN(min)) {
                        min = v;
                    }
                }
                return value(out, min);
            };
            case "max_over_time" -> (w, a, out) -> {
                double max = w.vs()[w.from()];
                for (int i = w.from(); i < w.to(); i++) {
                    double v = w.vs()[i];
                    if (v > max || Double.isNaN(max)) {
                        max = v;
                    }
                }
                return value(out, max);
            };
            case "last_over_time" -> (w, a, out) -> value(out, w.vs()[w.to() - 1]);
            case "present_over_time", "absent_over_time" -> (w, a, out) -> value(out, 1);
            case "quantile_over_time" -> (w, a, out) ->
                    value(out, Quantiles.quantile(a[0], w.vs(), w.from(), w.to()));
            case "stddev_over_time" -> (w, a, out) -> value(out, Math.sqrt(variance(w)));
            case "stdvar_over_time" -> (w, a, out) -> value(out, variance(w));
            default -> throw new IllegalStateException("function " + name + " is not a range-vector function");
        };
    }

    private static boolean value(double[] out, double v) {
        out[0] = v;
        return true;
    }

    /** rate, increase, delta: the change over the window, extrapolated towards the window's ends. */
    static boolean extrapolatedRate(Window w, boolean isCounter, boolean isRate, double[] out) {
        int n = w.count();
        if (n < 2) {
            return false;
        }
        long[] ts = w.ts();
        double[] vs = w.vs();
        int first = w.from();
        int last = w.to() - 1;
        double result = vs[last] - vs[first];
        if (isCounter) {
            double prev = vs[first];
            for (int i = first + 1; i <= last; i++) {
                if (vs[i] < prev) {
                    result += prev;
                }
                prev = vs[i];
            }
        }
        double durationToStart = (ts[first] - w.rangeStart()) / 1000.0;
        double durationToEnd = (w.rangeEnd() - ts[last]) / 1000.0;
        double sampledInterval = (ts[last] - ts[first]) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        if (isCounter && result > 0 && vs[first] >= 0) {
            // A counter cannot go below zero: do not extrapolate past the point it would reach zero.
            double durationToZero = sampledInterval * (vs[first] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double threshold = averageDurationBetweenSamples * 1.1;
        double extrapolateToInterval = sampledInterval;
        extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
        extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
        result = result * (extrapolateToInterval / sampledInterval);
        if (isRate) {
            result = result / (w.rangeMillis() / 1000.0);
        }
        out[0] = result;
        return true;
    }

    /** irate, idelta: from the last two samples of the window. */
    static boolean instantValue(Window w, boolean isRate, double[] out) {
        if (w.count() < 2) {
            return false;
        }
        int last = w.to() - 1;
        double lastV = w.vs()[last];
        double prevV = w.vs()[last - 1];
        double result = isRate && lastV < prevV ? lastV : lastV - prevV;
        long interval = w.ts()[last] - w.ts()[last - 1];
        if (interval == 0) {
            return false;
        }
        if (isRate) {
            result /= interval / 1000.0;
        }
        out[0] = result;
        return true;
    }

    /** Neumaier's compensated sum: {@code sc[0]} the sum, {@code sc[1]} the compensation. */
    static void kahanAdd(double inc, double[] sc) {
        double sum = sc[0];
        double t = sum + inc;
        if (Math.abs(sum) >= Math.abs(inc)) {
            sc[1] += (sum - t) + inc;
        } else {
            sc[1] += (inc - t) + sum;
        }
        sc[0] = t;
    }

    private static double avgOverTime(Window w) {
        double[] mc = new double[2];
        double count = 0;
        for (int i = w.from(); i < w.to(); i++) {
            double v = w.vs()[i];
            count++;
            double mean = mc[0];
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
                    continue;
                }
                if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                    continue;
                }
            }
            kahanAdd(v / count - mean / count, mc);
        }
        return Double.isInfinite(mc[0]) ? mc[0] : mc[0] + mc[1];
    }

    private static double variance(Window w) {
        double count = 0;
        double[] mean = new double[2];
        double[] aux = new double[2];
        for (int i = w.from(); i < w.to(); i++) {
            double v = w.vs()[i];
            count++;
            double delta = v - (mean[0] + mean[1]);
            kahanAdd(delta / count, mean);
            kahanAdd(delta * (v - (mean[0] + mean[1])), aux);
        }
        return (aux[0] + aux[1]) / count;
    }

    /** Least squares over the window, x in seconds relative to {@code interceptTime}: {slope, intercept}. */
    static double[] linearRegression(Window w, long interceptTime) {
        double n = 0;
        double[] sumX = new double[2];
        double[] sumY = new double[2];
        double[] sumXY = new double[2];
        double[] sumX2 = new double[2];
        double initY = w.vs()[w.from()];
        boolean constY = true;
        for (int i = w.from(); i < w.to(); i++) {
            double v = w.vs()[i];
            if (constY && i > w.from() && v != initY) {
                constY = false;
            }
            n += 1.0;
            double x = (w.ts()[i] - interceptTime) / 1e3;
            kahanAdd(x, sumX);
            kahanAdd(v, sumY);
            kahanAdd(x * v, sumXY);
            kahanAdd(x * x, sumX2);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {0, initY};
        }
        double sx = sumX[0] + sumX[1];
        double sy = sumY[0] + sumY[1];
        double sxy = sumXY[0] + sumXY[1];
        double sx2 = sumX2[0] + sumX2[1];
        double covXY = sxy - sx * sy / n;
        double varX = sx2 - sx * sx / n;
        double slope = covXY / varX;
        double intercept = sy / n - slope * sx / n;
        return new double[] {slope, intercept};
    }

    private static boolean holtWinters(Window w, double[] a, double[] out) {
        double sf = a[1];
        double tf = a[2];
        if (sf <= 0 || sf >= 1) {
            throw new PromQLEvalException("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goF(sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw new PromQLEvalException("invalid trend factor. Expected: 0 < tf < 1, got: " + goF(tf));
        }
        int l = w.count();
        if (l < 2) {
            return false;
        }
        double[] vs = w.vs();
        int f = w.from();
        double s0 = 0;
        double s1 = vs[f];
        double b = vs[f + 1] - vs[f];
        for (int i = 1; i < l; i++) {
            double x = sf * vs[f + i];
            if (i - 1 != 0) {
                b = tf * (s1 - s0) + (1 - tf) * b;
            }
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        out[0] = s1;
        return true;
    }

    /** Go's %f. */
    private static String goF(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, "%f", v);
    }
}
