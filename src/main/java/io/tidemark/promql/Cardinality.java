package io.tidemark.promql;

/** The cardinality of a vector matching in a binary operation. */
public enum Cardinality {
    ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
}
