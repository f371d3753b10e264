package io.tidemark.query;

/** Aggregations over time (per step bucket) and across series. */
public enum AggregationFunction {
    AVG, SUM, MIN, MAX, COUNT, LAST, QUANTILE, RATE, INCREASE
}
