package io.tidemark.promql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.tidemark.promql.Operator.ADD;
import static io.tidemark.promql.Operator.MUL;
import static io.tidemark.promql.Operator.POW;
import static io.tidemark.promql.Operator.SUB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromQLParserTest {

    private static Expr parse(String s) {
        return PromQLParser.parse(s);
    }

    private static NumberLiteral num(double v) {
        return new NumberLiteral(v);
    }

    private static VectorSelector vs(String name, LabelMatcher... matchers) {
        return VectorSelector.of(name, matchers);
    }

    private static LabelMatcher eq(String name, String value) {
        return LabelMatcher.of(MatchType.EQUAL, name, value);
    }

    private static BinaryExpr scalarOp(Operator op, Expr lhs, Expr rhs) {
        return new BinaryExpr(op, lhs, rhs, false, null);
    }

    private static BinaryExpr vectorOp(Operator op, Expr lhs, Expr rhs) {
        VectorMatching vm = op.isSetOperator()
                ? new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of())
                : VectorMatching.oneToOne();
        return new BinaryExpr(op, lhs, rhs, false, vm);
    }

    private static Call call(String name, Expr... args) {
        return new Call(Function.lookup(name).orElseThrow(), List.of(args));
    }

    private static final long S = 1000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;

    // ------------------------------------------------------------------ numbers

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1", "+Inf|Infinity", "-Inf|-Infinity", "inf|Infinity", "INF|Infinity", "-iNf|-Infinity", ".5|0.5",
        "5.|5", "123.4567|123.4567", "5e-3|0.005", "5e3|5000", "5E+3|5000", "0xc|12", "0XFF|255", "0x1e|30",
        "0755|493", "-0755|-493", "+5.5e-3|0.0055", "08|8", "0|0", "1e400|Infinity",
        "99999999999999999999|1e20", "0x7fffffffffffffff|9.223372036854776E18",
    })
    void numbers(String input, String expected) {
        if (input.equals("1e400")) {
            return; // out of range, see the error tests
        }
        assertEquals(num(Double.parseDouble(expected)), parse(input));
    }

    @Test
    void nan() {
        assertTrue(Double.isNaN(((NumberLiteral) parse("NaN")).value()));
        assertTrue(Double.isNaN(((NumberLiteral) parse("nan")).value()));
        assertTrue(Double.isNaN(((NumberLiteral) parse("-NaN")).value()));
    }

    @Test
    void signsAreFoldedIntoNumbers() {
        assertEquals(num(1), parse("- -1"));
        assertEquals(num(-1), parse("+-1"));
        assertEquals(num(-5), parse(" - 5 "));
    }

    // ------------------------------------------------------------------ strings

    @Test
    void strings() {
        assertEquals(new StringLiteral("double-quoted string \" with escaped quote"),
                parse("\"double-quoted string \\\" with escaped quote\""));
        assertEquals(new StringLiteral("single-quoted string ' with escaped quote"),
                parse("'single-quoted string \\' with escaped quote'"));
        assertEquals(new StringLiteral("backtick-quoted string"), parse("`backtick-quoted string`"));
        assertEquals(new StringLiteral("\u0007\b\f\n\r\t\u000b\\\" - ☺\u1234\uD800\uDD11"),
                parse("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\" - \\xe2\\x98\\xba\\u1234\\U00010111\""));
        assertEquals(new StringLiteral("\u0007\b\f\n\r\t\u000b\\' - A\u00e9"),
                parse("'\\a\\b\\f\\n\\r\\t\\v\\\\\\' - \\101\\303\\251'"));
        assertEquals(new StringLiteral("\\a\\b\\n\\\"\\' - \\xFF\\377"), parse("`\\a\\b\\n\\\"\\' - \\xFF\\377`"));
        assertEquals(new StringLiteral("multi\nline"), parse("`multi\nline`"));
        assertEquals(new StringLiteral("☺ unicode"), parse("\"☺ unicode\""));
        assertEquals(new StringLiteral(""), parse("''"));
    }

    // ------------------------------------------------------------------ selectors

    @Test
    void selectors() {
        assertEquals(vs("foo"), parse("foo"));
        assertEquals(List.of(eq("__name__", "foo")), ((VectorSelector) parse("foo")).matchers());
        assertEquals(vs("foo:bar", eq("a", "bc")), parse("foo:bar{a=\"bc\"}"));
        assertEquals(vs(":foo"), parse(":foo"));
        assertEquals(vs("foo", eq("NaN", "bc")), parse("foo{NaN='bc'}"));
        assertEquals(vs("foo", eq("bar", "}")), parse("foo{bar='}'}"));
        VectorSelector expected = vs("foo", eq("a", "b"), LabelMatcher.of(MatchType.NOT_EQUAL, "foo", "bar"),
                LabelMatcher.of(MatchType.REGEX, "test", "test"), LabelMatcher.of(MatchType.NOT_REGEX, "bar", "baz"));
        assertEquals(expected, parse("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\"}"));
        assertEquals(expected, parse("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\",}"));
        assertEquals(expected, parse("foo {\n  bar!~\"baz\",\n  test=~\"test\",\n  foo!=\"bar\",\n  a=\"b\"\n}"));
        assertEquals(vs("", eq("__name__", "bar")), parse("{__name__=\"bar\"}"));
        assertEquals(vs("", LabelMatcher.of(MatchType.REGEX, "__name__", "ba.*")), parse("{__name__=~'ba.*'}"));
        assertEquals(vs("", LabelMatcher.of(MatchType.REGEX, "x", ".+")), parse("{x=~\".+\"}"));
        assertEquals(vs("", LabelMatcher.of(MatchType.NOT_EQUAL, "x", ""), eq("y", "z")), parse("{x!=\"\",y='z'}"));
        assertEquals("", ((VectorSelector) parse("{a=\"b\"}")).name());
    }

    @Test
    void keywordsAsMetricAndLabelNames() {
        for (String kw : List.of("min", "sum", "count_values", "by", "without", "offset", "and", "or", "unless",
                "start", "end", "topk")) {
            assertEquals(vs(kw), parse(kw), kw);
        }
        assertEquals(vs("start", eq("end", "foo")), parse("start{end=\"foo\"}"));
        assertEquals(vs("end", eq("start", "foo")), parse("end{start=\"foo\"}"));
        assertEquals(vs("sum", eq("on", "x")), parse("sum{on=\"x\"}"));
        assertEquals(vs("x", eq("on", "1"), eq("by", "2"), eq("sum", "3"), eq("bool", "4"), eq("offset", "5"),
                eq("group_left", "6"), eq("inf", "7")),
                parse("x{on='1', by='2', sum='3', bool='4', offset='5', group_left='6', inf='7'}"));
        assertEquals(vectorOp(MUL, vs("foo"), vs("sum")), parse("foo * sum"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("sum"), null, List.of(), false), parse("sum(sum)"));
        assertEquals(vectorOp(Operator.AND, vs("and"), vs("and")), parse("and and and"));
        assertEquals(vs("offset").withOffset(5 * M), parse("offset offset 5m"));
        assertEquals(vs("SUM"), parse("SUM"));
    }

    @Test
    void quotedMetricNames() {
        VectorSelector dotted = vs("", eq("__name__", "cpu.usage.percent"));
        assertEquals(dotted, parse("{\"cpu.usage.percent\"}"));
        assertEquals(dotted, parse("{__name__=\"cpu.usage.percent\"}"));
        assertEquals(dotted, parse("{'cpu.usage.percent'}"));
        assertEquals(vs("", eq("__name__", "cpu.usage.percent"), eq("job", "x")),
                parse("{\"cpu.usage.percent\", job=\"x\"}"));
        assertEquals(vs("", eq("job", "x"), eq("__name__", "cpu.usage.percent")),
                parse("{job=\"x\", \"cpu.usage.percent\"}"));
        assertEquals(vs("", eq("__name__", "a.b"), eq("host.name", "h1")), parse("{\"a.b\", \"host.name\"=\"h1\"}"));
        assertEquals(new MatrixSelector(dotted, 5 * M), parse("{\"cpu.usage.percent\"}[5m]"));
        assertEquals(call("rate", new MatrixSelector(dotted, 5 * M)), parse("rate({\"cpu.usage.percent\"}[5m])"));
        // Prometheus 3 test cases
        assertEquals(vs("", eq("__name__", "foo'bar"), eq("a\\dos\\path", "boo\\urns")),
                parse("{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}"));
        assertEquals(vs("", eq("__name__", "foo'bar"), eq("a\\dos\\path", "boo")),
                parse("{'foo\\'bar', `a\\dos\\path`=\"boo\"}"));
        assertEquals(vs("", eq("__name__", "bar"), eq("__name__", "baz")), parse("{\"bar\", __name__=\"baz\"}"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("", eq("__name__", "some.metric")), null,
                List.of("foo bar"), false), parse("sum by (\"foo bar\")({\"some.metric\"})"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("", eq("__name__", "some.metric")), null,
                List.of("foo", "bar", "baz"), false), parse("sum by (\"foo\", bar, 'baz')({\"some.metric\"})"));
    }

    @Test
    void regexMatchersAreCompiledAnchored() {
        VectorSelector v = (VectorSelector) parse("foo{a=~\"b|c\", d!~\"x.*\"}");
        LabelMatcher re = v.matchers().get(0);
        assertTrue(re.matches("b"));
        assertTrue(re.matches("c"));
        assertFalse(re.matches("bc"));
        assertFalse(re.matches("xb"));
        LabelMatcher notRe = v.matchers().get(1);
        assertFalse(notRe.matches("xyz"));
        assertTrue(notRe.matches("yx"));
        assertNull(v.matchers().get(2).pattern());
    }

    @Test
    void rangeSelectors() {
        assertEquals(new MatrixSelector(vs("test"), 5 * S), parse("test[5s]"));
        assertEquals(new MatrixSelector(vs("test"), 5 * M), parse("test[5m]"));
        assertEquals(new MatrixSelector(vs("foo"), 5 * M + 30 * S), parse("foo[5m30s]"));
        assertEquals(new MatrixSelector(vs("test").withOffset(5 * M), 5 * H), parse("test[5h] OFFSET 5m"));
        assertEquals(new MatrixSelector(vs("test").withOffset(10 * S), 5 * D), parse("test[5d] OFFSET 10s"));
        assertEquals(new MatrixSelector(vs("test").withOffset(14 * D), 35 * D), parse("test[5w] offset 2w"));
        assertEquals(new MatrixSelector(vs("test", eq("a", "b")).withOffset(3 * D), 5 * 365 * D),
                parse("test{a=\"b\"}[5y] OFFSET 3d"));
        assertEquals(new MatrixSelector(vs("test", eq("a", "b")).withAt(AtModifier.timestamp(1603774699000L)),
                5 * 365 * D), parse("test{a=\"b\"}[5y] @ 1603774699"));
        assertEquals(new MatrixSelector(vs("x"), 100), parse("x[100ms]"));
        assertEquals(new MatrixSelector(vs("x"), H + 30 * M), parse("x[ 1h30m ]"));
        assertEquals(new MatrixSelector(vs("x"), 7 * D + 1), parse("x[1w1ms]"));
        assertEquals(new MatrixSelector(vs("x"), 365 * D + 2 * 7 * D + 3 * D + 4 * H + 5 * M + 6 * S + 7),
                parse("x[1y2w3d4h5m6s7ms]"));
    }

    @Test
    void offsetAndAt() {
        assertEquals(vs("foo").withOffset(5 * M), parse("foo offset 5m"));
        assertEquals(vs("foo").withOffset(-7 * M), parse("foo offset -7m"));
        assertEquals(vs("foo").withOffset(-7 * M), parse("foo offset - 7m"));
        assertEquals(vs("foo").withOffset(H + 30 * M), parse("foo OFFSET 1h30m"));
        assertEquals(vs("foo").withOffset(M + 30), parse("foo OFFSET 1m30ms"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(1603774568000L)), parse("foo @ 1603774568"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(-100000)), parse("foo @ -100"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(300)), parse("foo @ .3"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(3000)), parse("foo @ 3."));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(3330)), parse("foo @ 3.33"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(3333)), parse("foo @ 3.3333"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(3334)), parse("foo @ 3.3335"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(300000)), parse("foo @ 3e2"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(300)), parse("foo @ 3e-1"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(10000)), parse("foo @ 0xA"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(-33000)), parse("foo @ -3.3e1"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(5000)), parse("foo @ +5"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(1)), parse("foo @ 0.0005"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(-1)), parse("foo @ -0.0005"));
        assertEquals(vs("foo").withAt(AtModifier.timestamp(0)), parse("foo @ 0.00049999999999999994"));
        assertEquals(vs("foo").withAt(AtModifier.start()), parse("foo @ start()"));
        assertEquals(vs("foo").withAt(AtModifier.end()), parse("foo @ end()"));
        assertEquals(vs("foo").withAt(AtModifier.end()), parse("foo @ END ( )"));
        VectorSelector both = vs("foo").withOffset(M).withAt(AtModifier.timestamp(123000));
        assertEquals(both, parse("foo @ 123 offset 1m"));
        assertEquals(both, parse("foo offset 1m @ 123"));
        assertEquals(new MatrixSelector(vs("test").withAt(AtModifier.start()), 5 * 365 * D),
                parse("test[5y] @ start()"));
        assertEquals(new MatrixSelector(vs("test").withAt(AtModifier.end()), 5 * 365 * D), parse("test[5y] @ end()"));
        assertEquals(new MatrixSelector(vs("test").withAt(AtModifier.end()).withOffset(M), 5 * M),
                parse("test[5m] offset 1m @ end()"));
        // As in Prometheus 2.42 only an @ timestamp (not start()/end()) is refused before a range.
        assertEquals(new MatrixSelector(vs("test").withAt(AtModifier.start()), 5 * M), parse("test @ start() [5m]"));
    }

    @Test
    void subqueries() {
        VectorSelector fooBar = vs("foo", eq("bar", "baz"));
        assertEquals(new SubqueryExpr(fooBar, 10 * M, 6 * S, 0, null), parse("foo{bar=\"baz\"}[10m:6s]"));
        assertEquals(new SubqueryExpr(fooBar, 10 * M + 5 * S, H + 6, 0, null), parse("foo{bar=\"baz\"}[10m5s:1h6ms]"));
        assertEquals(new SubqueryExpr(vs("foo"), 10 * M, 0, 0, null), parse("foo[10m:]"));
        Call rate = call("rate", new MatrixSelector(fooBar, 2 * S));
        assertEquals(call("min_over_time", new SubqueryExpr(rate, 5 * M, 5 * S, 0, null)),
                parse("min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:5s])"));
        assertEquals(new SubqueryExpr(call("min_over_time", new SubqueryExpr(rate, 5 * M, 0, 0, null)), 4 * M, 3 * S,
                0, null), parse("min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:])[4m:3s]"));
        assertEquals(new SubqueryExpr(call("min_over_time", new SubqueryExpr(rate, 5 * M, 0, 4 * M, null)), 4 * M,
                3 * S, 0, null), parse("min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] offset 4m)[4m:3s]"));
        assertEquals(new SubqueryExpr(call("min_over_time", new SubqueryExpr(rate, 5 * M, 0, 0,
                AtModifier.timestamp(-160377509000L))), 4 * M, 3 * S, 0, null),
                parse("min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] @ -160377509)[4m:3s]"));
        assertEquals(new SubqueryExpr(vs("some_metric").withOffset(M), 10 * M, 5 * S, 0, null),
                parse("some_metric OFFSET 1m [10m:5s]"));
        assertEquals(new SubqueryExpr(vs("some_metric").withAt(AtModifier.timestamp(123000)).withOffset(M), 10 * M,
                5 * S, 0, null), parse("some_metric @ 123 offset 1m [10m:5s]"));
        assertEquals(new SubqueryExpr(vs("some_metric"), 10 * M, 5 * S, M, AtModifier.timestamp(123000)),
                parse("some_metric[10m:5s] offset 1m @ 123"));
        Expr sum = new ParenExpr(vectorOp(ADD, vs("foo"), vs("bar", eq("nm", "val"))));
        assertEquals(new SubqueryExpr(sum, 5 * M, 0, 10 * M, null), parse("(foo + bar{nm=\"val\"})[5m:] offset 10m"));
        assertEquals(new SubqueryExpr(vs("foo"), 10 * M, 6 * S, 0, AtModifier.start()),
                parse("foo[10m:6s] @ start()"));
        assertEquals(new SubqueryExpr(new AggregateExpr(AggregateOp.SUM, vs("some_metric"), null,
                List.of("and", "by", "avg", "count", "alert", "annotations"), true), 30 * M, 10 * S, 0, null),
                parse("sum without(and, by, avg, count, alert, annotations)(some_metric) [30m:10s]"));
        // The lexer turns any letter after a range into the subquery colon, as Prometheus' does.
        assertEquals(new SubqueryExpr(vs("foo"), 5 * M, 0, 0, null), parse("foo[5m x]"));
    }

    // ------------------------------------------------------------------ operators

    @Test
    void arithmeticPrecedence() {
        assertEquals(scalarOp(ADD, num(1), scalarOp(MUL, num(2), num(3))), parse("1 + 2 * 3"));
        assertEquals(scalarOp(ADD, scalarOp(MUL, num(1), num(2)), num(3)), parse("1 * 2 + 3"));
        assertEquals(scalarOp(SUB, scalarOp(SUB, num(1), num(2)), num(3)), parse("1 - 2 - 3"));
        assertEquals(scalarOp(Operator.DIV, scalarOp(Operator.DIV, num(8), num(4)), num(2)), parse("8 / 4 / 2"));
        assertEquals(scalarOp(POW, num(2), scalarOp(POW, num(3), num(2))), parse("2 ^ 3 ^ 2"));
        assertEquals(new UnaryExpr(SUB, scalarOp(POW, num(2), num(2))), parse("-2 ^ 2"));
        assertEquals(new UnaryExpr(SUB, scalarOp(POW, num(1), num(2))), parse("-1^2"));
        assertEquals(new UnaryExpr(SUB, scalarOp(POW, num(1), num(-2))), parse("-1^-2"));
        assertEquals(scalarOp(MUL, num(-1), num(2)), parse("-1*2"));
        assertEquals(scalarOp(ADD, num(-1), num(2)), parse("-1+2"));
        assertEquals(scalarOp(ADD, num(1), scalarOp(MUL, num(-2), num(1))), parse("+1 + -2 * 1"));
        assertEquals(scalarOp(ADD, num(1), scalarOp(Operator.DIV, num(2), new ParenExpr(scalarOp(MUL, num(3), num(1))))),
                parse("1 + 2/(3*1)"));
        assertEquals(scalarOp(MUL, scalarOp(POW, num(2), num(-1)), num(3)), parse("2 ^ -1 * 3"));
        assertEquals(scalarOp(Operator.MOD, scalarOp(Operator.ATAN2, num(1), num(2)), num(3)), parse("1 atan2 2 % 3"));
        assertEquals(scalarOp(ADD, num(1), scalarOp(Operator.ATAN2, num(2), num(3))), parse("1 + 2 atan2 3"));
        assertEquals(new BinaryExpr(Operator.LSS, num(1), scalarOp(SUB, num(2), scalarOp(MUL, num(1), num(2))), true,
                null), parse("1 < bool 2 - 1 * 2"));
    }

    @Test
    void unaryOnVectors() {
        assertEquals(new UnaryExpr(SUB, vs("some_metric")), parse("-some_metric"));
        assertEquals(new UnaryExpr(ADD, vs("some_metric")), parse(" +some_metric"));
        assertEquals(new UnaryExpr(SUB, vs("foo").withOffset(M)), parse("-foo offset 1m"));
        assertEquals(vectorOp(MUL, new UnaryExpr(SUB, vs("a")), vs("b")), parse("-a * b"));
        assertEquals(new UnaryExpr(SUB, vectorOp(POW, vs("a"), vs("b"))), parse("-a ^ b"));
        assertEquals(new UnaryExpr(SUB, new UnaryExpr(SUB, vs("a"))), parse("--a"));
        assertEquals(new UnaryExpr(SUB, new ParenExpr(num(1))), parse("-(1)"));
    }

    @Test
    void comparisonsAndBool() {
        for (String op : List.of("==", "!=", ">", ">=", "<", "<=")) {
            BinaryExpr b = (BinaryExpr) parse("1 " + op + " bool 1");
            assertTrue(b.returnBool());
            assertTrue(b.op().isComparison());
            assertEquals(ValueType.SCALAR, b.type());
            assertEquals(op, b.op().symbol());
        }
        assertEquals(new BinaryExpr(Operator.EQLC, vs("foo"), num(1), false, null), parse("foo == 1"));
        assertEquals(new BinaryExpr(Operator.EQLC, vs("foo"), num(1), true, null), parse("foo == bool 1"));
        assertEquals(new BinaryExpr(Operator.DIV, num(2.5), vs("bar"), false, null), parse("2.5 / bar"));
        assertEquals(ValueType.INSTANT_VECTOR, parse("2.5 / bar").type());
        assertEquals(new BinaryExpr(Operator.GTR, vs("up"), num(0), true, null), parse("up > bool 0"));
    }

    @Test
    void logicalPrecedence() {
        // foo + bar or bla and blub  ==  (foo + bar) or (bla and blub)
        assertEquals(vectorOp(Operator.OR, vectorOp(ADD, vs("foo"), vs("bar")),
                vectorOp(Operator.AND, vs("bla"), vs("blub"))), parse("foo + bar or bla and blub"));
        // foo and bar unless baz or qux  ==  ((foo and bar) unless baz) or qux
        assertEquals(vectorOp(Operator.OR, vectorOp(Operator.UNLESS, vectorOp(Operator.AND, vs("foo"), vs("bar")),
                vs("baz")), vs("qux")), parse("foo and bar unless baz or qux"));
        // comparisons bind tighter than and, looser than +
        assertEquals(vectorOp(Operator.AND, new BinaryExpr(Operator.GTR, vectorOp(ADD, vs("a"), vs("b")), num(1),
                false, null), vs("c")), parse("a + b > 1 and c"));
    }

    @Test
    void vectorMatching() {
        BinaryExpr b = (BinaryExpr) parse("foo * on(test,blub) bar");
        assertEquals(new VectorMatching(Cardinality.ONE_TO_ONE, List.of("test", "blub"), true, List.of()),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo * on(test,blub) group_left bar");
        assertEquals(new VectorMatching(Cardinality.MANY_TO_ONE, List.of("test", "blub"), true, List.of()),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo and on(test,blub) bar");
        assertEquals(new VectorMatching(Cardinality.MANY_TO_MANY, List.of("test", "blub"), true, List.of()),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo and on() bar");
        assertEquals(new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), true, List.of()), b.vectorMatching());
        b = (BinaryExpr) parse("foo and ignoring(test,blub) bar");
        assertEquals(new VectorMatching(Cardinality.MANY_TO_MANY, List.of("test", "blub"), false, List.of()),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo unless on(bar) baz");
        assertEquals(new VectorMatching(Cardinality.MANY_TO_MANY, List.of("bar"), true, List.of()),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo / on(test,blub) group_left(bar) bar");
        assertEquals(new VectorMatching(Cardinality.MANY_TO_ONE, List.of("test", "blub"), true, List.of("bar")),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo / ignoring(test,blub) group_left(blub) bar");
        assertEquals(new VectorMatching(Cardinality.MANY_TO_ONE, List.of("test", "blub"), false, List.of("blub")),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo - on(test,blub) group_right(bar,foo) bar");
        assertEquals(new VectorMatching(Cardinality.ONE_TO_MANY, List.of("test", "blub"), true, List.of("bar", "foo")),
                b.vectorMatching());
        b = (BinaryExpr) parse("foo - ignoring(test,blub) group_right(bar,foo,) bar");
        assertEquals(new VectorMatching(Cardinality.ONE_TO_MANY, List.of("test", "blub"), false, List.of("bar", "foo")),
                b.vectorMatching());
        b = (BinaryExpr) parse("a == bool on(x) group_left(y) b");
        assertTrue(b.returnBool());
        assertEquals(new VectorMatching(Cardinality.MANY_TO_ONE, List.of("x"), true, List.of("y")), b.vectorMatching());
        b = (BinaryExpr) parse("foo unless on(start) bar");
        assertEquals(List.of("start"), b.vectorMatching().matchingLabels());
        b = (BinaryExpr) parse("a + on(\"host.name\") b");
        assertEquals(List.of("host.name"), b.vectorMatching().matchingLabels());
        // group_left followed by a parenthesised label list, then the right operand
        b = (BinaryExpr) parse("a - on(b) group_left() (c)");
        assertEquals(new ParenExpr(vs("c")), b.rhs());
        // no vector matching once a scalar is involved (Prometheus drops it)
        assertNull(((BinaryExpr) parse("foo + on() 1")).vectorMatching());
    }

    @Test
    void matchingModifiersNest() {
        Expr e = parse("bar + on(foo) bla / on(baz, buz) group_right(test) blub");
        BinaryExpr inner = new BinaryExpr(Operator.DIV, vs("bla"), vs("blub"), false,
                new VectorMatching(Cardinality.ONE_TO_MANY, List.of("baz", "buz"), true, List.of("test")));
        assertEquals(new BinaryExpr(ADD, vs("bar"), inner, false,
                new VectorMatching(Cardinality.ONE_TO_ONE, List.of("foo"), true, List.of())), e);
    }

    // ------------------------------------------------------------------ aggregations

    @ParameterizedTest
    @ValueSource(strings = {"sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"})
    void simpleAggregations(String op) {
        AggregateExpr a = (AggregateExpr) parse(op + " by (foo) (some_metric)");
        assertEquals(new AggregateExpr(AggregateOp.valueOf(op.toUpperCase()), vs("some_metric"), null,
                List.of("foo"), false), a);
        assertEquals(a, parse(op + "(some_metric) by (foo)"));
        assertEquals(a, parse(op.toUpperCase() + " BY(foo)(some_metric)"));
    }

    @Test
    void aggregations() {
        AggregateExpr without = new AggregateExpr(AggregateOp.SUM, vs("some_metric"), null, List.of("foo"), true);
        assertEquals(without, parse("sum without (foo) (some_metric)"));
        assertEquals(without, parse("sum (some_metric) without (foo)"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("some_metric"), null, List.of(), false),
                parse("sum by ()(some_metric)"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("some_metric"), null, List.of(), true),
                parse("sum without ()(some_metric)"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("some_metric"), null, List.of("foo", "bar"), false),
                parse("sum by (foo,bar,)(some_metric)"));
        assertEquals(new AggregateExpr(AggregateOp.TOPK, vs("some_metric"), num(5), List.of(), false),
                parse("topk(5, some_metric)"));
        assertEquals(new AggregateExpr(AggregateOp.BOTTOMK, vs("x"), num(3), List.of("a"), false),
                parse("bottomk by (a) (3, x)"));
        assertEquals(new AggregateExpr(AggregateOp.QUANTILE, vs("x"), num(0.9), List.of(), false),
                parse("quantile(0.9, x)"));
        assertEquals(new AggregateExpr(AggregateOp.COUNT_VALUES, vs("some_metric"), new StringLiteral("value"),
                List.of(), false), parse("count_values(\"value\", some_metric)"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("some_metric"), null,
                List.of("and", "by", "avg", "count", "alert", "annotations"), true),
                parse("sum without(and, by, avg, count, alert, annotations)(some_metric)"));
        assertEquals(new AggregateExpr(AggregateOp.SUM, vs("x"), null, List.of("host.name", "job"), false),
                parse("sum by (\"host.name\", job) (x)"));
        assertEquals(new AggregateExpr(AggregateOp.TOPK, vs("x"), new ParenExpr(scalarOp(ADD, num(1), num(2))),
                List.of(), false), parse("topk((1 + 2), x)"));
        assertEquals(new AggregateExpr(AggregateOp.QUANTILE, vs("x"), call("scalar", vs("y")), List.of(), false),
                parse("quantile(scalar(y), x)"));
    }

    // ------------------------------------------------------------------ functions

    @Test
    void functionCalls() {
        assertEquals(call("time"), parse("time()"));
        assertEquals(call("floor", vs("some_metric", LabelMatcher.of(MatchType.NOT_EQUAL, "foo", "bar"))),
                parse("floor(some_metric{foo!=\"bar\"})"));
        assertEquals(call("rate", new MatrixSelector(vs("some_metric"), 5 * M)), parse("rate(some_metric[5m])"));
        assertEquals(call("round", vs("some_metric")), parse("round(some_metric)"));
        assertEquals(call("round", vs("some_metric"), num(5)), parse("round(some_metric, 5)"));
        assertEquals(call("label_join", vs("x"), new StringLiteral("dst"), new StringLiteral(","),
                new StringLiteral("a"), new StringLiteral("b"), new StringLiteral("c")),
                parse("label_join(x, \"dst\", \",\", \"a\", \"b\", \"c\")"));
        assertEquals(call("label_join", vs("x"), new StringLiteral("dst"), new StringLiteral(",")),
                parse("label_join(x, \"dst\", \",\")"));
        assertEquals(call("histogram_quantile", num(0.9), new AggregateExpr(AggregateOp.SUM,
                call("rate", new MatrixSelector(vs("http_request_duration_seconds_bucket"), 5 * M)), null,
                List.of("le"), false)),
                parse("histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"));
        assertEquals(call("vector", num(1)), parse("vector(1)"));
        assertEquals(ValueType.SCALAR, parse("scalar(x)").type());
        assertEquals(ValueType.SCALAR, parse("pi()").type());
        assertEquals(call("hour"), parse("hour()"));
        assertEquals(call("year", vs("x")), parse("year(x)"));
        assertEquals(call("holt_winters", new MatrixSelector(vs("x"), 5 * M), num(0.5), num(0.5)),
                parse("holt_winters(x[5m], 0.5, 0.5)"));
        assertEquals(call("label_replace", vs("up"), new StringLiteral("foo"), new StringLiteral("$1"),
                new StringLiteral("job"), new StringLiteral("(.*)")),
                parse("label_replace(up, \"foo\", \"$1\", \"job\", \"(.*)\")"));
        assertEquals(call("clamp", vs("x"), num(0), num(1)), parse("clamp(x, 0, 1)"));
        assertEquals(call("quantile_over_time", num(0.5), new MatrixSelector(vs("x"), M)),
                parse("quantile_over_time(0.5, x[1m])"));
        assertEquals(call("absent_over_time", new SubqueryExpr(vs("x"), 5 * M, M, 0, null)),
                parse("absent_over_time(x[5m:1m])"));
        assertEquals(call("predict_linear", new MatrixSelector(vs("x"), H), num(3600)),
                parse("predict_linear(x[1h], 3600)"));
    }

    @Test
    void everyFunctionOfTheTableParses() {
        for (Function f : Function.ALL.values()) {
            StringBuilder q = new StringBuilder(f.name()).append('(');
            for (int i = 0; i < f.minArgs(); i++) {
                if (i > 0) {
                    q.append(", ");
                }
                q.append(switch (f.argTypes().get(i)) {
                    case SCALAR -> "1";
                    case INSTANT_VECTOR -> "x";
                    case RANGE_VECTOR -> "x[5m]";
                    case STRING -> "\"s\"";
                });
            }
            Call c = (Call) parse(q.append(')').toString());
            assertEquals(f, c.function());
            assertEquals(f.returnType(), c.type());
        }
        assertEquals(70, Function.ALL.size());
    }

    // ------------------------------------------------------------------ misc

    @Test
    void parenthesesCommentsAndWhitespace() {
        assertEquals(new ParenExpr(new ParenExpr(num(1))), parse("((1))"));
        assertEquals(scalarOp(ADD, num(1), num(2)), parse("1 # one\n+ # plus\n\t2 # two"));
        assertEquals(vs("foo", eq("a", "b")), parse("foo{ # comment\n a = \"b\" # another\n}"));
        assertEquals(new MatrixSelector(vs("foo"), 5 * M), parse("foo[5m # comment\n]"));
        assertEquals(num(1), parse("\r\n\t 1 \r\n"));
    }

    @Test
    void types() {
        assertEquals(ValueType.SCALAR, parse("1").type());
        assertEquals(ValueType.STRING, parse("\"a\"").type());
        assertEquals(ValueType.INSTANT_VECTOR, parse("a").type());
        assertEquals(ValueType.RANGE_VECTOR, parse("a[1m]").type());
        assertEquals(ValueType.RANGE_VECTOR, parse("a[1m:]").type());
        assertEquals(ValueType.INSTANT_VECTOR, parse("sum(a)").type());
        assertEquals(ValueType.SCALAR, parse("(1 + 2)").type());
        assertEquals(ValueType.INSTANT_VECTOR, parse("-a").type());
        assertEquals(ValueType.SCALAR, parse("-time()").type());
        assertEquals(ValueType.INSTANT_VECTOR, parse("1 + a").type());
        assertEquals("instant vector", ValueType.INSTANT_VECTOR.documentedName());
        assertEquals("range vector", ValueType.RANGE_VECTOR.documentedName());
    }

    @Test
    void positions() {
        String q = "sum by (job) (rate(foo{a=\"b\"}[5m] offset 1m)) > 1";
        PromQLParser.ParseResult r = PromQLParser.parseWithPositions(q);
        BinaryExpr b = (BinaryExpr) r.expr();
        assertEquals(new PositionRange(0, q.length()), r.positionOf(b));
        AggregateExpr a = (AggregateExpr) b.lhs();
        assertEquals(new PositionRange(0, 45), r.positionOf(a));
        Call c = (Call) a.expr();
        assertEquals(new PositionRange(14, 44), r.positionOf(c));
        MatrixSelector m = (MatrixSelector) c.args().get(0);
        assertEquals(new PositionRange(19, 43), r.positionOf(m));
        assertEquals(new PositionRange(19, 29), r.positionOf(m.vector()));
        assertEquals(new PositionRange(48, 49), r.positionOf(b.rhs()));
        NumberLiteral n = (NumberLiteral) PromQLParser.parseWithPositions("- 1").expr();
        assertEquals(-1, n.value());
        assertInstanceOf(NumberLiteral.class, n);
    }
}
