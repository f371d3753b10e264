package io.tidemark.promql;

/**
 * A PromQL expression: the AST produced by {@link PromQLParser}. Nodes are immutable records compared by value
 * (positions are not part of a node; {@link PromQLParser#parseWithPositions(String)} reports them separately).
 * {@link PromQLPrinter#format(Expr)} prints a node back as canonical PromQL.
 */
public sealed interface Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr,
        ParenExpr, UnaryExpr, BinaryExpr, AggregateExpr, Call {

    /** The type this expression evaluates to. */
    ValueType type();
}
