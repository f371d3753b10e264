package io.tidemark.load;

import java.util.Random;

/** One seeded random walk per series with two-decimal values, so that runs are reproducible. */
final class RandomWalk {

    static final long SEED = 42;

    private final Random random = new Random(SEED);
    private final double[] values;

    RandomWalk(int series) {
        values = new double[series];
        for (int i = 0; i < series; i++) {
            values[i] = round2(random.nextDouble() * 100);
        }
    }

    /** Advances series {@code series} by one step and returns its new value. */
    double next(int series) {
        double v = Math.abs(values[series] + random.nextGaussian());
        values[series] = round2(v);
        return values[series];
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
