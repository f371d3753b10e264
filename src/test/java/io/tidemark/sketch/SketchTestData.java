package io.tidemark.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Data sets and the exact quantile, computed from the sorted values independently of the sketch. */
final class SketchTestData {

    static final double[] QUANTILES = {0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1};

    /** Floating-point slack on top of α: rounding in log/exp is below 1e-13 relative even near 1e±300. */
    static final double ROUNDING_SLACK = 1e-12;

    private SketchTestData() {
    }

    record DataSet(String name, double[] values) {
        @Override
        public String toString() {
            return name + " (n=" + values.length + ")";
        }
    }

    static List<DataSet> dataSets(long seed) {
        List<DataSet> sets = new ArrayList<>();
        Random r = new Random(seed);
        sets.add(gen("uniform [0,1000)", 5000, r, x -> x.nextDouble() * 1000));
        sets.add(gen("uniform [1,2)", 3000, r, x -> 1 + x.nextDouble()));
        sets.add(gen("lognormal(0,2)", 10000, r, x -> Math.exp(2 * x.nextGaussian())));
        sets.add(gen("lognormal(5,0.3)", 2000, r, x -> Math.exp(5 + 0.3 * x.nextGaussian())));
        sets.add(gen("exponential(mean 50)", 8000, r, x -> -50 * Math.log(1 - x.nextDouble())));
        sets.add(gen("bimodal 100/10000", 6000, r,
                x -> x.nextBoolean() ? 100 + 5 * x.nextGaussian() : 10000 + 50 * x.nextGaussian()));
        sets.add(gen("bimodal 95/5 with a heavy tail", 5000, r,
                x -> x.nextDouble() < 0.95 ? 0.2 + 0.01 * x.nextGaussian() : 30 * Math.exp(x.nextGaussian())));
        sets.add(gen("negative lognormal", 5000, r, x -> -Math.exp(1.5 * x.nextGaussian())));
        sets.add(gen("negative uniform (-10,-1]", 2000, r, x -> -1 - 9 * x.nextDouble()));
        sets.add(gen("mixed sign normal(0,100)", 7000, r, x -> 100 * x.nextGaussian()));
        sets.add(gen("mixed sign lognormal", 4000, r,
                x -> (x.nextDouble() < 0.3 ? -1 : 1) * Math.exp(3 * x.nextGaussian())));
        sets.add(gen("with zeros and infinities", 3000, r, x -> {
            double u = x.nextDouble();
            if (u < 0.1) {
                return 0.0;
            }
            if (u < 0.12) {
                return Double.POSITIVE_INFINITY;
            }
            if (u < 0.13) {
                return Double.NEGATIVE_INFINITY;
            }
            return 10 * x.nextGaussian();
        }));
        sets.add(gen("counter deltas (mostly 0, small ints)", 3000, r,
                x -> x.nextDouble() < 0.6 ? 0 : (double) x.nextInt(20)));
        sets.add(gen("constant 42", 1000, r, x -> 42.0));
        sets.add(gen("constant -0.001", 500, r, x -> -0.001));
        sets.add(new DataSet("single 3.14", new double[] {3.14}));
        sets.add(new DataSet("single -2.5e-7", new double[] {-2.5e-7}));
        sets.add(new DataSet("single 0", new double[] {0.0}));
        sets.add(new DataSet("two values", new double[] {1, 1000}));
        return sets;
    }

    /** The largest and smallest indexable magnitudes: 616 decades, needs many bins. */
    static DataSet extremes() {
        return new DataSet("extremes", new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
                -Double.MIN_NORMAL, 1e300, 1e-300, -1e-300, 1, -1});
    }

    /** Values spread over 500 decades: needs more bins than the default, tests precision far from 1. */
    static DataSet extremeMagnitudes(long seed) {
        return gen("log-uniform 1e-250..1e250, both signs", 4000, new Random(seed),
                x -> (x.nextBoolean() ? 1 : -1) * Math.pow(10, -250 + 500 * x.nextDouble()));
    }

    static DataSet gen(String name, int n, Random r, Function<Random, Double> f) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.apply(r);
        }
        return new DataSet(name, v);
    }

    static DDSketch sketchOf(double alpha, int maxBins, double[] values) {
        DDSketch s = new DDSketch(alpha, maxBins);
        for (double v : values) {
            s.add(v);
        }
        return s;
    }

    static double[] sorted(double[] values) {
        double[] s = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        Arrays.sort(s);
        return s;
    }

    /** The value at 0-based rank floor(q·(n−1)) of the sorted values ("lower"). */
    static double exactQuantile(double[] sorted, double q) {
        long rank = (long) Math.floor(q * (sorted.length - 1));
        return sorted[(int) rank];
    }

    /** Asserts |estimate − exact| ≤ α·|exact| (plus rounding slack); infinities and zero must match exactly. */
    static void assertWithinRelativeError(double alpha, double exact, double estimate, String what) {
        if (Double.isInfinite(exact) || exact == 0) {
            assertEquals(exact, estimate, what);
            return;
        }
        if (Double.isNaN(estimate)) {
            fail(what + ": NaN, expected " + exact);
        }
        double err = Math.abs(estimate - exact) / Math.abs(exact);
        assertTrue(err <= alpha + ROUNDING_SLACK,
                () -> what + ": estimate " + estimate + " vs exact " + exact + ", relative error " + err + " > " + alpha);
    }

    /** The quantiles of {@link #QUANTILES} plus every 0.001. */
    static double[] manyQuantiles() {
        double[] q = new double[QUANTILES.length + 1001];
        System.arraycopy(QUANTILES, 0, q, 0, QUANTILES.length);
        for (int i = 0; i <= 1000; i++) {
            q[QUANTILES.length + i] = i / 1000.0;
        }
        return q;
    }
}
