package io.tidemark.promql;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints an AST as PromQL, the way Prometheus does.
 *
 * <p>{@link #format(Expr)} is the canonical single-line form ({@code String()} in Prometheus' printer.go):
 * {@code sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1h))} — keywords lower-case, one space
 * around binary operators, label matchers sorted, durations normalised ({@code 90m} → {@code 1h30m}), numbers in
 * Go's shortest form, strings double-quoted, {@code @} timestamps with 3 decimals.
 *
 * <p>{@link #prettify(Expr)} is what {@code /api/v1/format_query} returns (prettier.go): the single-line form when
 * it fits in 100 characters, otherwise split over indented lines.
 *
 * <p>One deliberate difference from Prometheus 2.42: {@code a + ignoring() group_left b} prints as
 * {@code a + ignoring () group_left () b} (2.42 drops the grouping, which changes the meaning; later Prometheus
 * versions print it like this).
 */
public final class PromQLPrinter {

    private static final int MAX_CHARACTERS_PER_LINE = 100;

    private PromQLPrinter() {
    }

    /** The canonical single-line PromQL text of the expression. */
    public static String format(Expr e) {
        StringBuilder b = new StringBuilder();
        write(b, e);
        return b.toString();
    }

    /** Prometheus' prettified (multi-line above 100 characters) form, as returned by format_query. */
    public static String prettify(Expr e) {
        return prettify(e, MAX_CHARACTERS_PER_LINE);
    }

    /** {@link #prettify(Expr)} with another line length limit (Prometheus' tests use 10). */
    static String prettify(Expr e, int maxCharactersPerLine) {
        return new Prettier(maxCharactersPerLine).pretty(e, 0);
    }

    // ---------------------------------------------------------------------------------------------- single line

    private static void write(StringBuilder b, Expr e) {
        if (e instanceof NumberLiteral n) {
            b.append(GoText.formatFloat(n.value()));
        } else if (e instanceof StringLiteral s) {
            b.append(GoText.quote(s.value()));
        } else if (e instanceof VectorSelector v) {
            writeSelector(b, v, true);
        } else if (e instanceof MatrixSelector m) {
            writeSelector(b, m.vector(), false);
            b.append('[').append(Durations.format(m.rangeMillis())).append(']');
            writeAtAndOffset(b, m.vector().at(), m.vector().offsetMillis());
        } else if (e instanceof SubqueryExpr s) {
            write(b, s.expr());
            b.append(subquerySuffix(s));
        } else if (e instanceof ParenExpr p) {
            b.append('(');
            write(b, p.expr());
            b.append(')');
        } else if (e instanceof UnaryExpr u) {
            b.append(u.op().symbol());
            write(b, u.expr());
        } else if (e instanceof BinaryExpr bin) {
            write(b, bin.lhs());
            b.append(' ').append(bin.op().symbol());
            if (bin.returnBool()) {
                b.append(" bool");
            }
            b.append(matching(bin)).append(' ');
            write(b, bin.rhs());
        } else if (e instanceof AggregateExpr a) {
            b.append(aggregateOpPrefix(a)).append('(');
            if (a.param() != null) {
                write(b, a.param());
                b.append(", ");
            }
            write(b, a.expr());
            b.append(')');
        } else if (e instanceof Call c) {
            b.append(c.function().name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                write(b, c.args().get(i));
            }
            b.append(')');
        } else {
            throw new IllegalArgumentException("unknown node " + e);
        }
    }

    private static void writeSelector(StringBuilder b, VectorSelector v, boolean modifiers) {
        List<String> parts = new ArrayList<>();
        for (LabelMatcher m : v.matchers()) {
            if (m.name().equals(LabelMatcher.METRIC_NAME) && m.type() == MatchType.EQUAL
                    && m.value().equals(v.name())) {
                continue;
            }
            parts.add(m.toString());
        }
        b.append(v.name());
        if (!parts.isEmpty()) {
            // Go sorts by bytes of UTF-8, which is code point order.
            parts.sort(PromQLPrinter::compareCodePoints);
            b.append('{').append(String.join(",", parts)).append('}');
        }
        if (modifiers) {
            writeAtAndOffset(b, v.at(), v.offsetMillis());
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void writeAtAndOffset(StringBuilder b, AtModifier at, long offset) {
        if (at != null) {
            switch (at.kind()) {
                case TIMESTAMP -> b.append(" @ ").append(GoText.formatFixed(at.timestampMillis() / 1000.0, 3));
                case START -> b.append(" @ start()");
                case END -> b.append(" @ end()");
            }
        }
        if (offset > 0) {
            b.append(" offset ").append(Durations.format(offset));
        } else if (offset < 0) {
            b.append(" offset -").append(Durations.format(-offset));
        }
    }

    private static String subquerySuffix(SubqueryExpr s) {
        StringBuilder b = new StringBuilder("[").append(Durations.format(s.rangeMillis())).append(':');
        if (s.stepMillis() != 0) {
            b.append(Durations.format(s.stepMillis()));
        }
        b.append(']');
        writeAtAndOffset(b, s.at(), s.offsetMillis());
        return b.toString();
    }

    private static String aggregateOpPrefix(AggregateExpr a) {
        String s = a.op().promqlName();
        if (a.without()) {
            s += " without (" + labelList(a.grouping()) + ") ";
        } else if (!a.grouping().isEmpty()) {
            s += " by (" + labelList(a.grouping()) + ") ";
        }
        return s;
    }

    private static String matching(BinaryExpr b) {
        VectorMatching vm = b.vectorMatching();
        if (vm == null) {
            return "";
        }
        boolean grouped = vm.card() == Cardinality.MANY_TO_ONE || vm.card() == Cardinality.ONE_TO_MANY;
        String s = "";
        if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
            s = " " + (vm.on() ? "on" : "ignoring") + " (" + labelList(vm.matchingLabels()) + ")";
        }
        if (grouped) {
            s += " " + (vm.card() == Cardinality.MANY_TO_ONE ? "group_left" : "group_right") + " ("
                    + labelList(vm.include()) + ")";
        }
        return s;
    }

    private static String labelList(List<String> labels) {
        StringBuilder b = new StringBuilder();
        for (String l : labels) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(labelName(l));
        }
        return b.toString();
    }

    /** A label name as written in PromQL: bare if it is a classic label name, quoted otherwise. */
    static String labelName(String name) {
        return Lexer.isLabel(name) ? name : GoText.quote(name);
    }

    // ---------------------------------------------------------------------------------------------- prettier

    private static String indent(int level) {
        return "  ".repeat(level);
    }

    private record Prettier(int max) {

        private boolean needsSplit(Expr e) {
            return format(e).length() > max;
        }

        private String pretty(Expr e, int level) {
            if (e instanceof AggregateExpr a) {
                if (!needsSplit(a)) {
                    return indent(level) + format(a);
                }
                StringBuilder b = new StringBuilder(indent(level)).append(aggregateOpPrefix(a)).append("(\n");
                if (a.param() != null) {
                    b.append(pretty(a.param(), level + 1)).append(",\n");
                }
                return b.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')').toString();
            }
            if (e instanceof BinaryExpr bin) {
                if (!needsSplit(bin)) {
                    return indent(level) + format(bin);
                }
                return pretty(bin.lhs(), level + 1) + "\n" + indent(level) + bin.op().symbol()
                        + (bin.returnBool() ? " bool" : "") + matching(bin) + "\n" + pretty(bin.rhs(), level + 1);
            }
            if (e instanceof Call c) {
                if (!needsSplit(c)) {
                    return indent(level) + format(c);
                }
                StringBuilder b = new StringBuilder(indent(level)).append(c.function().name()).append("(\n");
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) {
                        b.append(",\n");
                    }
                    b.append(pretty(c.args().get(i), level + 1));
                }
                return b.append('\n').append(indent(level)).append(')').toString();
            }
            if (e instanceof ParenExpr p) {
                if (!needsSplit(p)) {
                    return indent(level) + format(p);
                }
                return indent(level) + "(\n" + pretty(p.expr(), level + 1) + "\n" + indent(level) + ")";
            }
            if (e instanceof SubqueryExpr s) {
                if (!needsSplit(s)) {
                    return format(s); // sic: Prometheus does not indent a subquery that fits on one line
                }
                return pretty(s.expr(), level) + subquerySuffix(s);
            }
            if (e instanceof UnaryExpr u) {
                return indent(level) + u.op().symbol() + pretty(u.expr(), level).strip();
            }
            return indent(level) + format(e);
        }
    }
}
