package io.tidemark.promql.eval;

import java.util.List;
import java.util.Objects;

/**
 * The value of a PromQL query, as Prometheus' {@code /api/v1/query} and {@code /api/v1/query_range} return it:
 * a scalar, a string, an instant vector or a matrix, with any warnings.
 */
public sealed interface QueryResult
        permits QueryResult.Scalar, QueryResult.StringValue, QueryResult.Vector, QueryResult.Matrix {

    List<String> warnings();

    /** One element of an instant vector: labels, evaluation time (ms) and value. */
    record Sample(Labels labels, long t, double v) {
        public Sample {
            Objects.requireNonNull(labels, "labels");
        }
    }

    /** One series of a matrix: labels and samples in ascending time order. */
    record Series(Labels labels, long[] timestamps, double[] values) {
        public Series {
            Objects.requireNonNull(labels, "labels");
            if (timestamps.length != values.length) {
                throw new IllegalArgumentException("timestamps and values differ in length");
            }
        }

        public int size() {
            return timestamps.length;
        }
    }

    record Scalar(long t, double v, List<String> warnings) implements QueryResult {
        public Scalar {
            warnings = List.copyOf(warnings);
        }

        public Scalar(long t, double v) {
            this(t, v, List.of());
        }
    }

    record StringValue(long t, String value, List<String> warnings) implements QueryResult {
        public StringValue {
            Objects.requireNonNull(value, "value");
            warnings = List.copyOf(warnings);
        }

        public StringValue(long t, String value) {
            this(t, value, List.of());
        }
    }

    /** An instant vector, in the order Prometheus returns it (e.g. sorted by {@code sort()}). */
    record Vector(List<Sample> samples, List<String> warnings) implements QueryResult {
        public Vector {
            samples = List.copyOf(samples);
            warnings = List.copyOf(warnings);
        }

        public Vector(List<Sample> samples) {
            this(samples, List.of());
        }
    }

    /** A matrix: the result of a range query, or of an instant query of a range vector; sorted by labels. */
    record Matrix(List<Series> series, List<String> warnings) implements QueryResult {
        public Matrix {
            series = List.copyOf(series);
            warnings = List.copyOf(warnings);
        }

        public Matrix(List<Series> series) {
            this(series, List.of());
        }
    }
}
