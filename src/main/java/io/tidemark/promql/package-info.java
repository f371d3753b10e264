/**
 * PromQL: lexer, parser, AST and printer, with the semantics of Prometheus 2.42 (plus Prometheus 3's quoted
 * names: {@code {"cpu.usage.percent", job="x"}}, {@code {"host.name"="a"}}, {@code sum by ("host.name") (...)}).
 *
 * <ul>
 *   <li>{@link io.tidemark.promql.PromQLParser#parse(String)} turns a query into an {@link io.tidemark.promql.Expr}
 *       tree of records ({@link io.tidemark.promql.NumberLiteral}, {@link io.tidemark.promql.StringLiteral},
 *       {@link io.tidemark.promql.VectorSelector}, {@link io.tidemark.promql.MatrixSelector},
 *       {@link io.tidemark.promql.SubqueryExpr}, {@link io.tidemark.promql.ParenExpr},
 *       {@link io.tidemark.promql.UnaryExpr}, {@link io.tidemark.promql.BinaryExpr},
 *       {@link io.tidemark.promql.AggregateExpr}, {@link io.tidemark.promql.Call}), type-checked as Prometheus
 *       does; errors are {@link io.tidemark.promql.PromQLParseException}s with Prometheus' messages and positions
 *       ({@code 1:5: parse error: unexpected <op:*>}).</li>
 *   <li>{@link io.tidemark.promql.PromQLPrinter#format(Expr)} prints the canonical single-line form,
 *       {@link io.tidemark.promql.PromQLPrinter#prettify(Expr)} the multi-line form of {@code /api/v1/format_query}.
 *       </li>
 *   <li>{@link io.tidemark.promql.Function#ALL} is Prometheus 2.42's function table (70 functions, including the
 *       experimental {@code histogram_count}, {@code histogram_sum}, {@code histogram_fraction}).</li>
 * </ul>
 *
 * <p>For the evaluator: durations, offsets, ranges and steps are milliseconds; {@code @ start()}/{@code @ end()}
 * are kept as {@link io.tidemark.promql.AtModifier} kinds to be resolved against the query range; the offset and
 * {@code @} of a range selector live on its inner {@link io.tidemark.promql.VectorSelector}; a selector's matchers
 * include the {@code __name__} matcher of its metric name; regex matchers carry a compiled, anchored
 * {@link java.util.regex.Pattern} translated from Go's RE2 syntax ({@code GoRegex}); a binary operation's
 * {@link io.tidemark.promql.VectorMatching} is null unless both operands are instant vectors, and many-to-many for
 * {@code and}/{@code or}/{@code unless}; a sign before a number literal is folded into the literal.
 *
 * <p>Known differences from Prometheus 2.42: positions count Java chars, not UTF-8 bytes; an unexpected {@code @}
 * is described as {@code <op:@>} (Prometheus prints {@code "<Item 57385>" <op:@>}); strings whose {@code \x}/octal
 * escapes do not form valid UTF-8 get U+FFFD (Go keeps the raw bytes); a Java stack overflow on absurdly deep
 * nesting is reported as "expression too deeply nested"; the printer keeps {@code ignoring () group_left (...)}
 * (2.42 drops it, changing the meaning); the few RE2/Java differences listed on {@code GoRegex} remain.
 */
package io.tidemark.promql;
