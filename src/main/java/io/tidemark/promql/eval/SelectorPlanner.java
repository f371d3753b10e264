package io.tidemark.promql.eval;

import io.tidemark.promql.AggregateExpr;
import io.tidemark.promql.AtModifier;
import io.tidemark.promql.BinaryExpr;
import io.tidemark.promql.Call;
import io.tidemark.promql.Expr;
import io.tidemark.promql.MatrixSelector;
import io.tidemark.promql.NumberLiteral;
import io.tidemark.promql.ParenExpr;
import io.tidemark.promql.StringLiteral;
import io.tidemark.promql.SubqueryExpr;
import io.tidemark.promql.UnaryExpr;
import io.tidemark.promql.VectorSelector;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Walks a query's AST: the time range each selector must read (Prometheus' getTimeRangesForSelector), and the
 * nodes Prometheus treats as step-invariant.
 */
final class SelectorPlanner {

    /** Functions whose result depends on the evaluation time even when their arguments do not. */
    private static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    private final long start;
    private final long end;
    private final EngineOptions options;
    /** Selector → the request reading it, in order of appearance. */
    final Map<VectorSelector, SelectRequest> requests = new IdentityHashMap<>();
    final java.util.List<SelectRequest> ordered = new java.util.ArrayList<>();

    SelectorPlanner(long start, long end, EngineOptions options) {
        this.start = start;
        this.end = end;
        this.options = options;
    }

    private long resolve(AtModifier at) {
        return switch (at.kind()) {
            case TIMESTAMP -> at.timestampMillis();
            case START -> start;
            case END -> end;
        };
    }

    /** Collects the requests of every selector in {@code expr}. */
    void plan(Expr expr) {
        walk(expr, 0, 0, null, 0);
    }

    /**
     * @param subqOffset the offsets of the enclosing subqueries (since the innermost one with {@code @})
     * @param subqRange  their ranges
     * @param subqAt     the {@code @} time of the innermost enclosing subquery that has one, or null
     * @param evalRange  the range of the enclosing range selector, 0 for an instant selector
     */
    private void walk(Expr e, long subqOffset, long subqRange, Long subqAt, long evalRange) {
        if (e instanceof VectorSelector vs) {
            long s = start;
            long t = end;
            if (subqAt != null) {
                s = subqAt;
                t = subqAt;
            }
            if (vs.at() != null) {
                s = resolve(vs.at());
                t = s;
            } else {
                s = s - subqOffset - subqRange;
                t = t - subqOffset;
            }
            s -= evalRange == 0 ? options.lookbackDeltaMs() : evalRange;
            s -= vs.offsetMillis();
            t -= vs.offsetMillis();
            SelectRequest r = new SelectRequest(vs.matchers(), s, t);
            SelectRequest previous = requests.put(vs, r);
            if (previous != null && !previous.equals(r)) {
                // The same node object twice in a tree: read the union.
                r = new SelectRequest(vs.matchers(), Math.min(previous.minTimeMs(), s),
                        Math.max(previous.maxTimeMs(), t));
                requests.put(vs, r);
            }
            if (!ordered.contains(r)) {
                ordered.add(r);
            }
        } else if (e instanceof MatrixSelector ms) {
            walk(ms.vector(), subqOffset, subqRange, subqAt, ms.rangeMillis());
        } else if (e instanceof SubqueryExpr sq) {
            if (sq.at() != null) {
                walk(sq.expr(), sq.offsetMillis(), sq.rangeMillis(), resolve(sq.at()), 0);
            } else {
                walk(sq.expr(), subqOffset + sq.offsetMillis(), subqRange + sq.rangeMillis(), subqAt, 0);
            }
        } else if (e instanceof ParenExpr p) {
            walk(p.expr(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof UnaryExpr u) {
            walk(u.expr(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof BinaryExpr b) {
            walk(b.lhs(), subqOffset, subqRange, subqAt, 0);
            walk(b.rhs(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof AggregateExpr a) {
            if (a.param() != null) {
                walk(a.param(), subqOffset, subqRange, subqAt, 0);
            }
            walk(a.expr(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof Call c) {
            for (Expr arg : c.args()) {
                walk(arg, subqOffset, subqRange, subqAt, 0);
            }
        }
    }

    /**
     * The nodes Prometheus 2.42 wraps in a StepInvariantExpr (PreprocessExpr): evaluated once at the first step of
     * their evaluation and repeated at the others.
     */
    static Set<Object> stepInvariantNodes(Expr root) {
        Set<Object> wrapped = Collections.newSetFromMap(new IdentityHashMap<>());
        if (mark(root, wrapped)) {
            wrapped.add(root);
        }
        return wrapped;
    }

    private static boolean mark(Expr e, Set<Object> wrapped) {
        if (e instanceof VectorSelector vs) {
            return vs.at() != null;
        }
        if (e instanceof AggregateExpr a) {
            return mark(a.expr(), wrapped);
        }
        if (e instanceof BinaryExpr b) {
            boolean l = mark(b.lhs(), wrapped);
            boolean r = mark(b.rhs(), wrapped);
            if (l && r) {
                return true;
            }
            if (l) {
                wrapped.add(b.lhs());
            }
            if (r) {
                wrapped.add(b.rhs());
            }
            return false;
        }
        if (e instanceof Call c) {
            boolean invariant = !AT_MODIFIER_UNSAFE.contains(c.function().name());
            boolean[] args = new boolean[c.args().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = mark(c.args().get(i), wrapped);
                invariant &= args[i];
            }
            if (invariant) {
                return true;
            }
            for (int i = 0; i < args.length; i++) {
                if (args[i]) {
                    wrapped.add(c.args().get(i));
                }
            }
            return false;
        }
        if (e instanceof MatrixSelector ms) {
            return mark(ms.vector(), wrapped);
        }
        if (e instanceof SubqueryExpr sq) {
            if (mark(sq.expr(), wrapped)) {
                wrapped.add(sq.expr());
            }
            return sq.at() != null;
        }
        if (e instanceof ParenExpr p) {
            return mark(p.expr(), wrapped);
        }
        if (e instanceof UnaryExpr u) {
            return mark(u.expr(), wrapped);
        }
        return e instanceof StringLiteral || e instanceof NumberLiteral;
    }
}
