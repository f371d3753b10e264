package io.tidemark.promql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromQLPrinterTest {

    private static String format(String q) {
        return PromQLPrinter.format(PromQLParser.parse(q));
    }

    static Stream<Arguments> canonical() {
        return Stream.of(
                // from Prometheus 2.42 printer_test.go (in, out; out empty = same as in)
                a("sum by() (task:errors:rate10s{job=\"s\"})", "sum(task:errors:rate10s{job=\"s\"})"),
                a("sum by(code) (task:errors:rate10s{job=\"s\"})", "sum by (code) (task:errors:rate10s{job=\"s\"})"),
                a("sum without() (task:errors:rate10s{job=\"s\"})",
                        "sum without () (task:errors:rate10s{job=\"s\"})"),
                a("sum without(instance) (task:errors:rate10s{job=\"s\"})",
                        "sum without (instance) (task:errors:rate10s{job=\"s\"})"),
                a("topk(5, task:errors:rate10s{job=\"s\"})", ""),
                a("count_values(\"value\", task:errors:rate10s{job=\"s\"})", ""),
                a("a - on() c", "a - on () c"),
                a("a - on(b) c", "a - on (b) c"),
                a("a - on(b) group_left(x) c", "a - on (b) group_left (x) c"),
                a("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
                a("a - on(b) group_left c", "a - on (b) group_left () c"),
                a("a - on(b) group_left() (c)", "a - on (b) group_left () (c)"),
                a("a - ignoring(b) c", "a - ignoring (b) c"),
                a("a - ignoring() c", "a - c"),
                a("up > bool 0", ""),
                a("a offset 1m", ""),
                a("a offset -7m", ""),
                a("a{c=\"d\"}[5m] offset 1m", ""),
                a("a[5m] offset 1m", ""),
                a("a[12m] offset -3m", ""),
                a("a[1h:5m] offset 1m", ""),
                a("{__name__=\"a\"}", ""),
                a("a{b!=\"c\"}[1m]", ""),
                a("a{b=~\"c\"}[1m]", ""),
                a("a{b!~\"c\"}[1m]", ""),
                a("a @ 10", "a @ 10.000"),
                a("a[1m] @ 10", "a[1m] @ 10.000"),
                a("a @ start()", ""),
                a("a @ end()", ""),
                a("a[1m] @ start()", ""),
                a("a[1m] @ end()", ""),
                // more
                a("a - ignoring() group_left c", "a - ignoring () group_left () c"),
                a("a+b*c", "a + b * c"),
                a("(a+b)*c", "(a + b) * c"),
                a("-2 ^ 2", ""),
                a("(-2) ^ 2", ""),
                a("- - 1", "1"),
                a("-(1)", ""),
                a("--foo", ""),
                a("+foo", ""),
                a("1 atan2 2", ""),
                a("a AND b OR c UNLESS d", "a and b or c unless d"),
                a("1==bool 2", "1 == bool 2"),
                a("a == bool on(x) group_right(y) b", "a == bool on (x) group_right (y) b"),
                a("a and on(x) b", "a and on (x) b"),
                a("SUM BY (a, b) (x)", "sum by (a, b) (x)"),
                a("sum(x) by (a)", "sum by (a) (x)"),
                a("max without (instance) (x)", ""),
                a("quantile(0.9, x)", ""),
                a("topk by (a) (3, x)", "topk by (a) (3, x)"),
                a("rate(x[90m])", "rate(x[1h30m])"),
                a("x[60s]", "x[1m]"),
                a("x[1000ms]", "x[1s]"),
                a("x[7d]", "x[1w]"),
                a("x[14d]", "x[2w]"),
                a("x[90d]", "x[90d]"),
                a("x[365d]", "x[1y]"),
                a("x[366d]", "x[366d]"),
                a("x[1y2w3d4h5m6s7ms]", "x[382d4h5m6s7ms]"),
                a("x[1h:60s]", "x[1h:1m]"),
                a("x[1h:]", ""),
                a("x[1h:] offset -1d @ 1.5", "x[1h:] @ 1.500 offset -1d"),
                a("x offset 5m @ 100", "x @ 100.000 offset 5m"),
                a("x @ -1.2345", "x @ -1.235"),
                a("x @ 1603774568.123", "x @ 1603774568.123"),
                a("x @ 0.0005", "x @ 0.001"),
                a("x @ END()", "x @ end()"),
                a("foo{c=\"d\", a=\"b\", b=~\"x\"}", "foo{a=\"b\",b=~\"x\",c=\"d\"}"),
                a("foo{a=\"z\", a=\"b\"}", "foo{a=\"b\",a=\"z\"}"),
                a("{\"cpu.usage.percent\"}", "{__name__=\"cpu.usage.percent\"}"),
                a("{\"cpu.usage.percent\", job='x'}", "{__name__=\"cpu.usage.percent\",job=\"x\"}"),
                a("{\"host.name\"=\"a\", __name__=\"b\"}", "{\"host.name\"=\"a\",__name__=\"b\"}"),
                a("sum by (\"host.name\", job) (x)", "sum by (\"host.name\", job) (x)"),
                a("a + on(\"k8s.pod\") b", "a + on (\"k8s.pod\") b"),
                a("foo:bar:baz", ""),
                a("sum", ""),
                a("'single'", "\"single\""),
                a("`raw \\n \"q\"`", "\"raw \\\\n \\\"q\\\"\""),
                a("\"tab\\there\\x41\\u00e9\\U0001F600\"", "\"tab\\thereAé😀\""),
                a("\"\\a\\b\\f\\v\\x00\\x7f\\u00a0\"", "\"\\a\\b\\f\\v\\x00\\x7f\\u00a0\""),
                a("foo{a=\"new\\nline\"}", ""),
                a("1", ""),
                a("1.5", ""),
                a("-0.5", ""),
                a(".5", "0.5"),
                a("5.", "5"),
                a("1e6", "1e+06"),
                a("123456", ""),
                a("1234567", "1.234567e+06"),
                a("0.0001", ""),
                a("0.00001", "1e-05"),
                a("1.5e-7", "1.5e-07"),
                a("1e100", "1e+100"),
                a("0x10", "16"),
                a("0755", "493"),
                a("Inf", "+Inf"),
                a("-inf", "-Inf"),
                a("NaN", ""),
                a("0.1", ""),
                a("0.30000000000000004", ""),
                a("9007199254740993", "9.007199254740992e+15"),
                a("label_join(x, \"dst\", \",\", \"a\", \"b\")", ""),
                a("histogram_quantile(0.9, sum by (le) (rate(x[5m])))", ""),
                a("time()", ""),
                a("min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] @ -160377509)[4m:3s]",
                        "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] @ -160377509.000)[4m:3s]"),
                a("x # comment\n + # comment\n y", "x + y"));
    }

    private static Arguments a(String in, String out) {
        return Arguments.of(in, out.isEmpty() ? in : out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canonical")
    void formatsLikePrometheus(String in, String out) {
        assertEquals(out, format(in));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canonical")
    void canonicalFormIsStable(String in, String out) {
        assertEquals(out, format(out));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "1", "+Inf", "-Inf", ".5", "5e-3", "0xc", "-0755", "1 + 1", "1 == bool 1", "-1^2", "-1*2", "-1^-2",
        "+1 + -2 * 1", "1 + 2/(3*1)", "1 < bool 2 - 1 * 2", "-some_metric", "foo * bar", "foo * sum", "foo == 1",
        "foo == bool 1", "2.5 / bar", "foo and bar", "foo + bar or bla and blub", "foo and bar unless baz or qux",
        "bar + on(foo) bla / on(baz, buz) group_right(test) blub", "foo * on(test,blub) bar",
        "foo * on(test,blub) group_left bar", "foo and on() bar", "foo and ignoring(test,blub) bar",
        "foo / ignoring(test,blub) group_left(blub) bar", "foo - on(test,blub) group_right(bar,foo) bar",
        "a - ignoring() group_left c", "foo", "min", "foo offset 5m", "foo offset -7m", "foo OFFSET 1h30m",
        "foo @ 1603774568", "foo @ -100", "foo @ .3", "foo @ 3.3335", "foo @ 0xA", "foo:bar{a=\"bc\"}",
        "foo{NaN='bc'}", "foo{bar='}'}", "foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\"}",
        "{__name__=\"bar\"}", "{\"cpu.usage.percent\", job=\"x\"}", "test[5s]", "test[5d] OFFSET 10s",
        "test{a=\"b\"}[5y] @ 1603774699", "sum by (foo)(some_metric)", "sum (some_metric) without (foo)",
        "sum by (foo,bar,)(some_metric)", "topk(5, some_metric)", "count_values(\"value\", some_metric)",
        "sum without(and, by, avg, count, alert, annotations)(some_metric)", "time()",
        "rate(some_metric[5m])", "round(some_metric, 5)", "sum(sum)", "a + sum",
        "\"double-quoted string \\\" with escaped quote\"", "`backtick-quoted string`",
        "\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\" - \\xe2\\x98\\xba\\u1234\\U00010111☺\"",
        "foo{bar=\"baz\"}[10m:6s]", "foo[10m:]", "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] offset 4m)[4m:3s]",
        "some_metric @ 123 offset 1m [10m:5s]", "(foo + bar{nm=\"val\"} @ 1234)[5m:] @ 1603775019",
        "foo @ start()", "test[5y] @ end()", "foo[10m:6s] @ start()", "start{end=\"foo\"}",
        "foo unless on(start) bar", "test @ start() [5m]", "x{a=~\"(?i)ab|c.*\"}", "x{a=~'\\\\d+'}",
        "label_replace(up{job=\"api-server\",service=\"a:c\"}, \"foo\", \"$1\", \"service\", \"(.*):.*\")",
    })
    void roundTrips(String q) {
        Expr parsed = PromQLParser.parse(q);
        String formatted = PromQLPrinter.format(parsed);
        assertEquals(parsed, PromQLParser.parse(formatted), formatted);
        assertEquals(formatted, PromQLPrinter.format(PromQLParser.parse(formatted)));
    }

    @Test
    void toStringIsTheCanonicalForm() {
        assertEquals("sum by (a) (rate(x[5m]))", PromQLParser.parse("sum(rate(x[5m])) by (a)").toString());
        assertEquals("job=~\"a|b\"", LabelMatcher.of(MatchType.REGEX, "job", "a|b").toString());
    }

    @Test
    void printsBuiltTrees() {
        VectorSelector v = VectorSelector.of("http_requests_total", LabelMatcher.equal("code", "500"));
        Expr e = new AggregateExpr(AggregateOp.SUM, new Call(Function.lookup("rate").orElseThrow(),
                List.of(new MatrixSelector(v.withOffset(3_600_000), 300_000))), null, List.of("job"), false);
        assertEquals("sum by (job) (rate(http_requests_total{code=\"500\"}[5m] offset 1h))", PromQLPrinter.format(e));
    }

    // ---------------------------------------------------------------- prettier (format_query)

    @Test
    void prettifyKeepsShortQueriesOnOneLine() {
        String q = "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))";
        assertEquals(q, PromQLPrinter.prettify(PromQLParser.parse(q)));
    }

    @Test
    void prettifySplitsLongQueries() {
        String q = "(node_filesystem_avail_bytes{job=\"node\",fstype!=\"\"} / node_filesystem_size_bytes{job=\"node\","
                + "fstype!=\"\"} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job=\"node\",fstype!=\"\"}[6h],"
                + " 24*60*60) < 0 and node_filesystem_readonly{job=\"node\",fstype!=\"\"} == 0)";
        String out = """
                (
                            node_filesystem_avail_bytes{fstype!="",job="node"}
                          /
                            node_filesystem_size_bytes{fstype!="",job="node"}
                        *
                          100
                      <
                        40
                    and
                        predict_linear(
                          node_filesystem_avail_bytes{fstype!="",job="node"}[6h],
                            24 * 60
                          *
                            60
                        )
                      <
                        0
                  and
                      node_filesystem_readonly{fstype!="",job="node"}
                    ==
                      0
                )""";
        assertEquals(out, PromQLPrinter.prettify(PromQLParser.parse(q), 10));
    }

    static Stream<Arguments> pretty() {
        // From Prometheus 2.42 prettier_test.go, with maxCharactersPerLine = 10.
        return Stream.of(
                Arguments.of("sum(foo)", "sum(foo)"),
                Arguments.of("sum by() (task:errors:rate10s{job=\"s\"})", "sum(\n  task:errors:rate10s{job=\"s\"}\n)"),
                Arguments.of("sum without(job,foo) (task:errors:rate10s{job=\"s\"})",
                        "sum without (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"),
                Arguments.of("topk(10, ask:errors:rate10s{job=\"s\"})",
                        "topk(\n  10,\n  ask:errors:rate10s{job=\"s\"}\n)"),
                Arguments.of("sum by(job,foo) # Comment 1.\n(sum by(job,foo) ( # Comment 2.\ntask:errors:rate10s{job=\"s\"}))",
                        "sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"),
                Arguments.of("a+b", "a + b"),
                Arguments.of("a == bool 1", "  a\n== bool\n  1"),
                Arguments.of("a + ignoring(job) b", "  a\n+ ignoring (job)\n  b"),
                Arguments.of("foo_1 + foo_2 + foo_3", "    foo_1\n  +\n    foo_2\n+\n  foo_3"),
                Arguments.of("foo + baar + foo_3", "  foo + baar\n+\n  foo_3"),
                Arguments.of("foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4",
                        "      foo_1\n    + ignoring (foo)\n      foo_2\n  + ignoring (job) group_left ()\n    foo_3\n"
                                + "+ on (instance) group_right ()\n  foo_4"),
                Arguments.of("rate(foo[1m])", "rate(\n  foo[1m]\n)"),
                Arguments.of("rate(long_vector_selector[10m:1m] @ start() offset 1m)",
                        "rate(\n  long_vector_selector[10m:1m] @ start() offset 1m\n)"),
                Arguments.of("max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m)",
                        "max_over_time(\n  rate(\n    demo_api_request_duration_seconds_count[1m]\n  )[1m:] @ start() offset 1m\n)"),
                Arguments.of("label_replace(up{job=\"api-server\",service=\"a:c\"}, \"foo\", \"$1\", \"service\", \"(.*):.*\")",
                        "label_replace(\n  up{job=\"api-server\",service=\"a:c\"},\n  \"foo\",\n  \"$1\",\n  \"service\",\n"
                                + "  \"(.*):.*\"\n)"),
                Arguments.of("(foo)", "(foo)"),
                Arguments.of("((_foo_long_))", "(\n  (\n    _foo_long_\n  )\n)"),
                Arguments.of("(((foo_long)))", "(\n  (\n    (foo_long)\n  )\n)"),
                Arguments.of("a @ 1", "a @ 1.000"),
                Arguments.of("vector_selector @ start()", "vector_selector @ start()"),
                Arguments.of("(foo_long + bar_long)", "(\n    foo_long\n  +\n    bar_long\n)"),
                Arguments.of("-(foo_long + bar_long)", "-(\n    foo_long\n  +\n    bar_long\n)"),
                Arguments.of("histogram_quantile(0.9, rate(foo[1m] @ start()))",
                        "histogram_quantile(\n  0.9,\n  rate(\n    foo[1m] @ start()\n  )\n)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pretty")
    void prettifiesLikePrometheus(String in, String out) {
        assertEquals(out, PromQLPrinter.prettify(PromQLParser.parse(in), 10));
    }
}
