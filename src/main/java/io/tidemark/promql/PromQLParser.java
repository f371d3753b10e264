package io.tidemark.promql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PromQL parser: a hand-written recursive-descent / precedence-climbing port of Prometheus 2.42's grammar
 * ({@code promql/parser/generated_parser.y}) with its semantic checks ({@code parse.go}), plus the Prometheus 3
 * quoted forms {@code {"metric.name"}}, {@code {"label.name"="v"}} and {@code by ("label.name")}.
 *
 * <p>Errors are reported like Prometheus reports the first of its errors: syntax errors and the checks made
 * while parsing (unknown function, bad duration or regex, misplaced offset/{@code @}, ...) in input order, then —
 * only for a syntactically valid query — the type checks, in Prometheus' order.
 */
public final class PromQLParser {

    /** A parsed expression with the source position of every node (keyed by identity). */
    public record ParseResult(Expr expr, Map<Expr, PositionRange> positions) {
        /** The position of a node of this result's tree (by identity), or null. */
        public PositionRange positionOf(Expr node) {
            return positions.get(node);
        }
    }

    private final String input;
    private final Lexer lexer;
    private Token lookahead;
    private int aggregationDepth;
    private final Map<Expr, PositionRange> positions = new IdentityHashMap<>();
    /** The vector matching of each binary expression as written (kept even where the AST drops it). */
    private final Map<BinaryExpr, VectorMatching> writtenMatching = new IdentityHashMap<>();
    /** Memoised node types (a long chain of binary operations would otherwise be re-typed at every level). */
    private final Map<Expr, ValueType> types = new IdentityHashMap<>();

    private PromQLParser(String input) {
        this.input = input;
        this.lexer = new Lexer(input);
    }

    /**
     * Parses a PromQL expression.
     *
     * @throws PromQLParseException on the first syntax or type error
     */
    public static Expr parse(String input) {
        return parseWithPositions(input).expr();
    }

    /** Like {@link #parse(String)}, also returning the source position of every node. */
    public static ParseResult parseWithPositions(String input) {
        PromQLParser p = new PromQLParser(input);
        try {
            Expr e = p.parseQuery();
            p.check(e);
            return new ParseResult(e, Collections.unmodifiableMap(p.positions));
        } catch (StackOverflowError e) {
            throw new PromQLParseException(input, 0, "expression too deeply nested");
        }
    }

    // ------------------------------------------------------------------------------------------ tokens & errors

    private Token peek() {
        if (lookahead == null) {
            lookahead = lexer.next();
        }
        return lookahead;
    }

    private Token advance() {
        Token t = peek();
        lookahead = null;
        return t;
    }

    private PromQLParseException error(int pos, String message) {
        return new PromQLParseException(input, pos, message);
    }

    /** Prometheus' "unexpected X in context, expected Y". */
    private PromQLParseException unexpected(Token t, String context, String expected) {
        StringBuilder b = new StringBuilder("unexpected ").append(t.describe());
        if (!context.isEmpty()) {
            b.append(" in ").append(context);
        }
        if (!expected.isEmpty()) {
            b.append(", expected ").append(expected);
        }
        return error(t.pos(), b.toString());
    }

    /** An unexpected token where an expression or its continuation was expected. */
    private PromQLParseException unexpected(Token t) {
        return unexpected(t, aggregationDepth > 0 ? "aggregation" : "", "");
    }

    private <T extends Expr> T at(T e, int start, int end) {
        positions.put(e, new PositionRange(start, end));
        return e;
    }

    private int start(Expr e) {
        return positions.get(e).start();
    }

    private int end(Expr e) {
        return positions.get(e).end();
    }

    // ------------------------------------------------------------------------------------------ grammar

    private Expr parseQuery() {
        if (peek().type() == TokenType.EOF) {
            throw error(0, "no expression found in input");
        }
        Expr e = parseExpr(0);
        Token t = peek();
        if (t.type() != TokenType.EOF) {
            throw unexpected(t);
        }
        return e;
    }

    /** Precedence climbing over the binary operators with precedence at least {@code minPrecedence}. */
    private Expr parseExpr(int minPrecedence) {
        Expr lhs = parseUnary();
        while (true) {
            Token t = peek();
            Operator op = t.type().binaryOperator();
            if (op == null || op.precedence() < minPrecedence) {
                return lhs;
            }
            advance();
            boolean returnBool = false;
            if (peek().type() == TokenType.BOOL) {
                advance();
                returnBool = true;
            }
            VectorMatching matching = VectorMatching.oneToOne();
            Token m = peek();
            if (m.type() == TokenType.ON || m.type() == TokenType.IGNORING) {
                advance();
                List<String> labels = parseGroupingLabels().labels;
                Cardinality card = Cardinality.ONE_TO_ONE;
                List<String> include = List.of();
                Token g = peek();
                if (g.type() == TokenType.GROUP_LEFT || g.type() == TokenType.GROUP_RIGHT) {
                    advance();
                    card = g.type() == TokenType.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
                    if (peek().type() == TokenType.LEFT_PAREN) {
                        include = parseGroupingLabels().labels;
                    }
                }
                matching = new VectorMatching(card, labels, m.type() == TokenType.ON, include);
            }
            Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
            lhs = binary(op, lhs, rhs, returnBool, matching);
        }
    }

    private BinaryExpr binary(Operator op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching matching) {
        if (op.isSetOperator() && matching.card() == Cardinality.ONE_TO_ONE) {
            matching = new VectorMatching(Cardinality.MANY_TO_MANY, matching.matchingLabels(), matching.on(),
                    matching.include());
        }
        boolean vectors = typeOf(lhs) == ValueType.INSTANT_VECTOR && typeOf(rhs) == ValueType.INSTANT_VECTOR;
        BinaryExpr b = new BinaryExpr(op, lhs, rhs, returnBool, vectors ? matching : null);
        writtenMatching.put(b, matching);
        return at(b, start(lhs), end(rhs));
    }

    /** A unary expression (its operand binds only {@code ^}), or a primary expression with its suffixes. */
    private Expr parseUnary() {
        Token t = peek();
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            advance();
            Expr operand = parseExpr(Operator.POW.precedence());
            if (operand instanceof NumberLiteral n) {
                int end = end(n);
                positions.remove(n);
                return at(new NumberLiteral(t.type() == TokenType.SUB ? -n.value() : n.value()), t.pos(), end);
            }
            Operator op = t.type() == TokenType.SUB ? Operator.SUB : Operator.ADD;
            return at(new UnaryExpr(op, operand), t.pos(), end(operand));
        }
        return parseSuffixes(parsePrimary());
    }

    private Expr parsePrimary() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER -> {
                advance();
                return at(new NumberLiteral(number(t)), t.pos(), t.end());
            }
            case STRING -> {
                advance();
                return at(new StringLiteral(Lexer.unquote(t.val())), t.pos(), t.end());
            }
            case LEFT_PAREN -> {
                advance();
                Expr e = parseExpr(0);
                Token close = peek();
                if (close.type() != TokenType.RIGHT_PAREN) {
                    throw unexpected(close);
                }
                advance();
                return at(new ParenExpr(e), t.pos(), close.end());
            }
            case LEFT_BRACE -> {
                return parseSelector(null);
            }
            case IDENTIFIER -> {
                advance();
                if (peek().type() == TokenType.LEFT_PAREN) {
                    return parseCall(t);
                }
                return parseSelector(t);
            }
            default -> {
                if (t.type().kind == TokenType.Kind.AGGREGATOR) {
                    advance();
                    TokenType next = peek().type();
                    if (next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT) {
                        return parseAggregate(t);
                    }
                    return parseSelector(t);
                }
                if (t.type().isMetricIdentifier()) {
                    advance();
                    return parseSelector(t);
                }
                throw unexpected(t);
            }
        }
    }

    /** Range/subquery brackets, {@code offset} and {@code @}, in any order, after a primary expression. */
    private Expr parseSuffixes(Expr e) {
        while (true) {
            switch (peek().type()) {
                case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
                case OFFSET -> e = parseOffset(e);
                case AT -> e = parseAt(e);
                default -> {
                    return e;
                }
            }
        }
    }

    // ---- selectors

    private VectorSelector parseSelector(Token nameToken) {
        String name = nameToken == null ? "" : nameToken.val();
        int start = nameToken == null ? peek().pos() : nameToken.pos();
        int end = nameToken == null ? start : nameToken.end();
        List<LabelMatcher> matchers = new ArrayList<>();
        if (peek().type() == TokenType.LEFT_BRACE) {
            advance();
            while (true) {
                Token t = peek();
                if (t.type() == TokenType.RIGHT_BRACE) {
                    advance();
                    end = t.end();
                    break;
                }
                matchers.add(parseMatcher());
                Token sep = peek();
                if (sep.type() == TokenType.COMMA) {
                    advance();
                } else if (sep.type() != TokenType.RIGHT_BRACE) {
                    throw unexpected(sep, "label matching", "\",\" or \"}\"");
                }
            }
        }
        if (!name.isEmpty()) {
            matchers.add(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name));
        }
        return at(new VectorSelector(name, matchers, 0, null), start, end);
    }

    private static MatchType matchType(TokenType t) {
        return switch (t) {
            case EQL -> MatchType.EQUAL;
            case NEQ -> MatchType.NOT_EQUAL;
            case EQL_REGEX -> MatchType.REGEX;
            case NEQ_REGEX -> MatchType.NOT_REGEX;
            default -> null;
        };
    }

    private LabelMatcher parseMatcher() {
        Token t = peek();
        if (t.type() == TokenType.IDENTIFIER || t.type() == TokenType.STRING) {
            advance();
            boolean quoted = t.type() == TokenType.STRING;
            String name = quoted ? Lexer.unquote(t.val()) : t.val();
            Token op = peek();
            MatchType type = matchType(op.type());
            if (type == null) {
                if (quoted) {
                    // Prometheus 3: {"metric.name"} selects by metric name.
                    return matcher(t, MatchType.EQUAL, LabelMatcher.METRIC_NAME, name);
                }
                throw unexpected(op, "label matching", "label matching operator");
            }
            advance();
            Token value = peek();
            if (value.type() != TokenType.STRING) {
                throw unexpected(value, "label matching", "string");
            }
            advance();
            if (name.isEmpty()) {
                throw error(t.pos(), "invalid label name " + GoText.quote(name));
            }
            return matcher(t, type, name, Lexer.unquote(value.val()));
        }
        throw unexpected(t, "label matching", "identifier or \"}\"");
    }

    private LabelMatcher matcher(Token at, MatchType type, String name, String value) {
        try {
            return LabelMatcher.of(type, name, value);
        } catch (IllegalArgumentException e) {
            throw error(at.pos(), e.getMessage());
        }
    }

    private Expr parseRangeOrSubquery(Expr e) {
        Token open = advance();
        Token d = peek();
        if (d.type() != TokenType.DURATION) {
            throw unexpected(d, "subquery selector", "duration");
        }
        advance();
        long range = duration(d);
        Token t = peek();
        if (t.type() == TokenType.RIGHT_BRACKET) {
            advance();
            if (!(e instanceof VectorSelector vs)) {
                throw error(open.pos(), "ranges only allowed for vector selectors");
            }
            if (vs.offsetMillis() != 0) {
                throw error(open.pos(), "no offset modifiers allowed before range");
            }
            if (vs.at() != null && vs.at().kind() == AtModifier.Kind.TIMESTAMP) {
                throw error(open.pos(), "no @ modifiers allowed before range");
            }
            return at(new MatrixSelector(vs, range), start(e), t.end());
        }
        if (t.type() != TokenType.COLON) {
            throw unexpected(t, "subquery or range", "\":\" or \"]\"");
        }
        advance();
        long step = 0;
        Token s = peek();
        if (s.type() == TokenType.DURATION) {
            advance();
            step = duration(s);
            s = peek();
            if (s.type() != TokenType.RIGHT_BRACKET) {
                throw unexpected(s, "subquery selector", "\"]\"");
            }
        } else if (s.type() != TokenType.RIGHT_BRACKET) {
            throw unexpected(s, "subquery selector", "duration or \"]\"");
        }
        advance();
        return at(new SubqueryExpr(e, range, step, 0, null), start(e), s.end());
    }

    private Expr parseOffset(Expr e) {
        advance();
        Token t = peek();
        boolean negative = false;
        if (t.type() == TokenType.SUB) {
            advance();
            negative = true;
            t = peek();
        }
        if (t.type() != TokenType.DURATION) {
            throw unexpected(t, "offset", "duration");
        }
        advance();
        long d = duration(t);
        long offset = negative ? -d : d;
        String multiple = "offset may not be set multiple times";
        Expr result;
        if (e instanceof VectorSelector vs) {
            if (vs.offsetMillis() != 0) {
                throw error(start(e), multiple);
            }
            result = vs.withOffset(offset);
        } else if (e instanceof MatrixSelector ms) {
            if (ms.vector().offsetMillis() != 0) {
                throw error(start(e), multiple);
            }
            VectorSelector inner = ms.vector().withOffset(offset);
            at(inner, start(ms.vector()), end(ms.vector()));
            result = new MatrixSelector(inner, ms.rangeMillis());
        } else if (e instanceof SubqueryExpr sq) {
            if (sq.offsetMillis() != 0) {
                throw error(start(e), multiple);
            }
            result = sq.withOffset(offset);
        } else {
            throw error(start(e), "offset modifier must be preceded by an instant vector selector or range "
                    + "vector selector or a subquery");
        }
        return at(result, start(e), t.end());
    }

    private Expr parseAt(Expr e) {
        advance();
        Token t = peek();
        AtModifier at;
        int end;
        if (t.type() == TokenType.NUMBER || t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            advance();
            Token n = t;
            if (t.type() != TokenType.NUMBER) {
                n = peek();
                if (n.type() != TokenType.NUMBER) {
                    throw unexpected(n, "@", "timestamp");
                }
                advance();
            }
            double ts = number(n);
            if (t.type() == TokenType.SUB) {
                ts = -ts;
            }
            if (Double.isInfinite(ts) || Double.isNaN(ts) || ts >= 0x1p63 || ts <= -0x1p63) {
                throw error(start(e), "timestamp out of bounds for @ modifier: " + GoText.formatFixed(ts, 6));
            }
            at = AtModifier.timestamp(roundHalfAwayFromZero(ts * 1000)); // timestamp.FromFloatSeconds
            end = n.end();
        } else if (t.type() == TokenType.START || t.type() == TokenType.END) {
            advance();
            Token open = peek();
            if (open.type() != TokenType.LEFT_PAREN) {
                throw unexpected(open, "@", "timestamp");
            }
            advance();
            Token close = peek();
            if (close.type() != TokenType.RIGHT_PAREN) {
                throw unexpected(close, "@", "timestamp");
            }
            advance();
            at = t.type() == TokenType.START ? AtModifier.start() : AtModifier.end();
            end = close.end();
        } else {
            throw unexpected(t, "@", "timestamp");
        }
        String multiple = "@ <timestamp> may not be set multiple times";
        Expr result;
        if (e instanceof VectorSelector vs) {
            if (vs.at() != null) {
                throw error(start(e), multiple);
            }
            result = vs.withAt(at);
        } else if (e instanceof MatrixSelector ms) {
            if (ms.vector().at() != null) {
                throw error(start(e), multiple);
            }
            VectorSelector inner = ms.vector().withAt(at);
            at(inner, start(ms.vector()), end(ms.vector()));
            result = new MatrixSelector(inner, ms.rangeMillis());
        } else if (e instanceof SubqueryExpr sq) {
            if (sq.at() != null) {
                throw error(start(e), multiple);
            }
            result = sq.withAt(at);
        } else {
            throw error(start(e), "@ modifier must be preceded by an instant vector selector or range vector "
                    + "selector or a subquery");
        }
        return at(result, start(e), end);
    }

    /** Go's {@code int64(math.Round(x))}. */
    private static long roundHalfAwayFromZero(double x) {
        double a = Math.abs(x);
        double t = Math.floor(a);
        if (a - t >= 0.5) {
            t += 1;
        }
        return (long) Math.copySign(t, x);
    }

    // ---- calls and aggregations

    private record Args(List<Expr> args, int end) {
    }

    /** {@code ( expr, ... )} after the opening parenthesis has been peeked. */
    private Args parseArgs() {
        advance();
        List<Expr> args = new ArrayList<>();
        Token t = peek();
        if (t.type() == TokenType.RIGHT_PAREN) {
            advance();
            return new Args(args, t.end());
        }
        while (true) {
            args.add(parseExpr(0));
            t = peek();
            if (t.type() == TokenType.RIGHT_PAREN) {
                advance();
                return new Args(args, t.end());
            }
            if (t.type() != TokenType.COMMA) {
                throw unexpected(t);
            }
            advance();
            TokenType next = peek().type();
            if (next == TokenType.RIGHT_PAREN || next == TokenType.COMMA) {
                throw error(t.pos(), "trailing commas not allowed in function call args");
            }
        }
    }

    private Expr parseCall(Token name) {
        Args args = parseArgs();
        Function f = Function.lookup(name.val()).orElseThrow(
                () -> error(name.pos(), "unknown function with name " + GoText.quote(name.val())));
        return at(new Call(f, args.args()), name.pos(), args.end());
    }

    private record Grouping(List<String> labels, int end) {
    }

    private Grouping parseGroupingLabels() {
        Token open = peek();
        if (open.type() != TokenType.LEFT_PAREN) {
            throw unexpected(open, "grouping opts", "\"(\"");
        }
        advance();
        List<String> labels = new ArrayList<>();
        Token t = peek();
        if (t.type() == TokenType.RIGHT_PAREN) {
            advance();
            return new Grouping(labels, t.end());
        }
        while (true) {
            t = peek();
            if (t.type().isMaybeLabel()) {
                advance();
                if (!Lexer.isLabel(t.val())) {
                    throw unexpected(t, "grouping opts", "label");
                }
                labels.add(t.val());
            } else if (t.type() == TokenType.STRING) {
                advance();
                String label = Lexer.unquote(t.val());
                if (label.isEmpty()) {
                    throw error(t.pos(), "invalid label name for grouping: " + GoText.quote(label));
                }
                labels.add(label);
            } else {
                throw unexpected(t, "grouping opts", "label");
            }
            Token sep = peek();
            if (sep.type() == TokenType.RIGHT_PAREN) {
                advance();
                return new Grouping(labels, sep.end());
            }
            if (sep.type() != TokenType.COMMA) {
                throw unexpected(sep, "grouping opts", "\",\" or \")\"");
            }
            advance();
            Token close = peek();
            if (close.type() == TokenType.RIGHT_PAREN) {
                advance();
                return new Grouping(labels, close.end());
            }
        }
    }

    private Expr parseAggregate(Token opToken) {
        AggregateOp op = opToken.type().aggregateOp();
        aggregationDepth++;
        Grouping grouping = null;
        boolean without = false;
        Token t = peek();
        if (t.type() == TokenType.BY || t.type() == TokenType.WITHOUT) {
            advance();
            without = t.type() == TokenType.WITHOUT;
            grouping = parseGroupingLabels();
        }
        Token open = peek();
        if (open.type() != TokenType.LEFT_PAREN) {
            throw unexpected(open, "aggregation", "");
        }
        Args args = parseArgs();
        aggregationDepth--;
        int end = args.end();
        if (grouping == null) {
            t = peek();
            if (t.type() == TokenType.BY || t.type() == TokenType.WITHOUT) {
                advance();
                without = t.type() == TokenType.WITHOUT;
                grouping = parseGroupingLabels();
                end = grouping.end();
            }
        }
        List<Expr> list = args.args();
        if (list.isEmpty()) {
            throw error(opToken.pos(), "no arguments for aggregate expression provided");
        }
        int desired = op.hasParam() ? 2 : 1;
        if (list.size() != desired) {
            throw error(opToken.pos(), String.format(Locale.ROOT,
                    "wrong number of arguments for aggregate expression provided, expected %d, got %d",
                    desired, list.size()));
        }
        AggregateExpr a = new AggregateExpr(op, list.get(desired - 1), op.hasParam() ? list.get(0) : null,
                grouping == null ? List.of() : grouping.labels(), without);
        return at(a, opToken.pos(), end);
    }

    // ---- literals

    /** Prometheus' number parsing: Go's {@code strconv.ParseInt(s, 0, 64)} (hex, octal), else ParseFloat. */
    private double number(Token t) {
        String s = t.val();
        try {
            if (s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0") && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
                return Long.parseLong(s.substring(1), 8);
            }
            if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            // too large for an int64: parse as a float below
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        String why = "invalid syntax";
        if (!lower.startsWith("0x")) {
            try {
                double d = Double.parseDouble(s);
                if (!Double.isInfinite(d)) {
                    return d;
                }
                why = "value out of range";
            } catch (NumberFormatException e) {
                // invalid syntax
            }
        }
        throw error(t.pos(), "error parsing number: strconv.ParseFloat: parsing " + GoText.quote(s) + ": " + why);
    }

    private long duration(Token t) {
        long d;
        try {
            d = Durations.parse(t.val());
        } catch (IllegalArgumentException e) {
            throw error(t.pos(), e.getMessage());
        }
        if (d == 0) {
            throw error(t.pos(), "duration must be greater than 0");
        }
        return d;
    }

    // ------------------------------------------------------------------------------------------ type checks

    /** Prometheus' checkAST: validates the tree and returns the node's type. */
    private ValueType typeOf(Expr e) {
        ValueType t = types.get(e);
        if (t == null) {
            if (e instanceof BinaryExpr b) {
                t = typeOf(b.lhs()) == ValueType.SCALAR && typeOf(b.rhs()) == ValueType.SCALAR
                        ? ValueType.SCALAR : ValueType.INSTANT_VECTOR;
            } else if (e instanceof ParenExpr p) {
                t = typeOf(p.expr());
            } else if (e instanceof UnaryExpr u) {
                t = typeOf(u.expr());
            } else {
                t = e.type();
            }
            types.put(e, t);
        }
        return t;
    }

    private ValueType check(Expr node) {
        ValueType type = typeOf(node);
        if (node instanceof AggregateExpr a) {
            expectType(a.expr(), ValueType.INSTANT_VECTOR, "aggregation expression");
            if (a.op().hasParam()) {
                expectType(a.param(), a.op().paramType(), "aggregation parameter");
            }
        } else if (node instanceof BinaryExpr b) {
            checkBinary(b);
        } else if (node instanceof Call c) {
            checkCall(c);
        } else if (node instanceof ParenExpr p) {
            check(p.expr());
        } else if (node instanceof UnaryExpr u) {
            ValueType t = check(u.expr());
            if (t != ValueType.SCALAR && t != ValueType.INSTANT_VECTOR) {
                throw error(start(u), "unary expression only allowed on expressions of type scalar or instant "
                        + "vector, got " + GoText.quote(t.documentedName()));
            }
        } else if (node instanceof SubqueryExpr s) {
            ValueType t = check(s.expr());
            if (t != ValueType.INSTANT_VECTOR) {
                throw error(start(s), "subquery is only allowed on instant vector, got " + t.internalName()
                        + " instead");
            }
        } else if (node instanceof MatrixSelector m) {
            check(m.vector());
        } else if (node instanceof VectorSelector v) {
            checkSelector(v);
        }
        return type;
    }

    private void expectType(Expr node, ValueType want, String context) {
        ValueType t = check(node);
        if (t != want) {
            throw error(start(node), "expected type " + want.documentedName() + " in " + context + ", got "
                    + t.documentedName());
        }
    }

    /** The position of a binary expression's operator (the first non-space after the left operand). */
    private int operatorPosition(BinaryExpr b) {
        int p = end(b.lhs());
        while (p < input.length() && " \t\n\r".indexOf(input.charAt(p)) >= 0) {
            p++;
        }
        return p;
    }

    /**
     * Checks a binary expression like Prometheus (left operand, right operand, then the operation itself),
     * iterating down chains of left-nested operations ({@code a + b + c + ...}) instead of recursing.
     */
    private void checkBinary(BinaryExpr top) {
        List<BinaryExpr> chain = new ArrayList<>();
        Expr e = top;
        while (e instanceof BinaryExpr b) {
            chain.add(b);
            e = b.lhs();
        }
        check(e);
        for (int i = chain.size() - 1; i >= 0; i--) {
            BinaryExpr b = chain.get(i);
            check(b.rhs());
            checkOperation(b);
        }
    }

    private void checkOperation(BinaryExpr b) {
        ValueType lt = typeOf(b.lhs());
        ValueType rt = typeOf(b.rhs());
        Operator op = b.op();
        VectorMatching vm = writtenMatching.get(b);
        if (b.returnBool() && !op.isComparison()) {
            throw error(operatorPosition(b), "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error(operatorPosition(b), "comparisons between scalars must use BOOL modifier");
        }
        if (vm.on()) {
            for (String l : vm.matchingLabels()) {
                if (vm.include().contains(l)) {
                    throw error(operatorPosition(b), "label " + GoText.quote(l)
                            + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.INSTANT_VECTOR) {
            throw error(start(b.lhs()), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.INSTANT_VECTOR) {
            throw error(start(b.rhs()), "binary expression must contain only scalar and instant vector types");
        }
        if (lt != ValueType.INSTANT_VECTOR || rt != ValueType.INSTANT_VECTOR) {
            if (!vm.matchingLabels().isEmpty()) {
                throw error(start(b), "vector matching only allowed between instant vectors");
            }
        } else if (op.isSetOperator()) {
            if (vm.card() == Cardinality.ONE_TO_MANY || vm.card() == Cardinality.MANY_TO_ONE) {
                throw error(start(b), "no grouping allowed for " + GoText.quote(op.symbol()) + " operation");
            }
            if (vm.card() != Cardinality.MANY_TO_MANY) {
                throw error(start(b), "set operations must always be many-to-many");
            }
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
            throw error(start(b), "set operator " + GoText.quote(op.symbol())
                    + " not allowed in binary scalar expression");
        }
    }

    private void checkCall(Call c) {
        Function f = c.function();
        int nargs = f.argTypes().size();
        int n = c.args().size();
        String name = GoText.quote(f.name());
        if (f.variadic() == 0) {
            if (nargs != n) {
                throw error(start(c), "expected " + nargs + " argument(s) in call to " + name + ", got " + n);
            }
        } else {
            int na = nargs - 1;
            if (na > n) {
                throw error(start(c), "expected at least " + na + " argument(s) in call to " + name + ", got " + n);
            } else if (f.variadic() > 0 && na + f.variadic() < n) {
                throw error(start(c), "expected at most " + (na + f.variadic()) + " argument(s) in call to " + name
                        + ", got " + n);
            }
        }
        for (int i = 0; i < n; i++) {
            int k = i;
            if (k >= nargs) {
                if (f.variadic() == 0) {
                    break;
                }
                k = nargs - 1;
            }
            expectType(c.args().get(i), f.argTypes().get(k), "call to function " + name);
        }
    }

    private void checkSelector(VectorSelector v) {
        List<LabelMatcher> ms = v.matchers();
        if (!v.name().isEmpty()) {
            for (LabelMatcher m : ms.subList(0, ms.size() - 1)) {
                if (m.name().equals(LabelMatcher.METRIC_NAME)) {
                    throw error(start(v), "metric name must not be set twice: " + GoText.quote(v.name()) + " or "
                            + GoText.quote(m.value()));
                }
            }
            return;
        }
        for (LabelMatcher m : ms) {
            if (!m.matches("")) {
                return;
            }
        }
        throw error(start(v), "vector selector must contain at least one non-empty matcher");
    }
}
