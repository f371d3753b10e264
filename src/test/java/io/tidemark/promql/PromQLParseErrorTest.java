package io.tidemark.promql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every error: the input, the 0-based position Prometheus 2.42 reports, and its message. */
class PromQLParseErrorTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                // ---- empty input, lexer errors
                e("", 0, "no expression found in input"),
                e("# just a comment\n\n", 0, "no expression found in input"),
                e(".", 0, "unexpected character: '.'"),
                e("2.5.", 3, "unexpected character: '.'"),
                e("0deadbeef", 0, "bad number or duration syntax: \"0de\""),
                e("(1))", 4, "unexpected right parenthesis ')'"),
                e("((1)", 4, "unclosed left parenthesis"),
                e("(", 1, "unclosed left parenthesis"),
                e("(1 + 2", 6, "unclosed left parenthesis"),
                e("sum(x) by (a", 12, "unclosed left parenthesis"),
                e("1 !~ 1", 2, "unexpected character after '!': '~'"),
                e("1 =~ 1", 2, "unexpected character after '=': '~'"),
                e("foo !", 4, "unexpected character after '!': '\uFFFD'"),
                e("foo ; bar", 4, "unexpected character: ';'"),
                e("foo \u00a0", 4, "unexpected character: '\\u00a0'"),
                e("{", 1, "unexpected end of input inside braces"),
                e("}", 0, "unexpected character: '}'"),
                e("some{", 5, "unexpected end of input inside braces"),
                e("some}", 4, "unexpected character: '}'"),
                e("foo{a=\"b\"", 9, "unexpected end of input inside braces"),
                e("some_metric{a:b=\"b\"}", 13, "unexpected character inside braces: ':'"),
                e("foo{a*\"b\"}", 5, "unexpected character inside braces: '*'"),
                e("foo{a>=\"b\"}", 5, "unexpected character inside braces: '>'"),
                e("foo{1}", 4, "unexpected character inside braces: '1'"),
                e("foo{a!\"b\"}", 5, "unexpected character after '!' inside braces: '\"'"),
                e("foo{{}", 4, "unexpected left brace '{'"),
                e("foo]", 3, "unexpected right bracket ']'"),
                e("foo[5m", 6, "unclosed left bracket"),
                e("foo[5m:", 7, "unclosed left bracket"),
                e("foo[5m:1m:1m]", 9, "unexpected colon ':'"),
                e("foo[5m:x]", 7, "unexpected colon 'x'"),
                e("foo[[5m]", 4, "missing unit character in duration"),
                e("foo[5mm]", 4, "bad duration syntax: \"5mm\""),
                e("foo[5m1]", 4, "bad duration syntax: \"5m1\""),
                e("foo[1y1y]", 4, "bad duration syntax: \"1y1\""),
                e("foo[5m:1m1]", 7, "bad number or duration syntax: \"1m1\""),
                e("foo[\"5m\"]", 4, "missing unit character in duration"),
                e("foo[]", 4, "missing unit character in duration"),
                e("foo[1]", 4, "missing unit character in duration"),
                e("some_metric[5m] OFFSET 1mm", 23, "bad number or duration syntax: \"1mm\""),
                e("`\\``", 3, "unterminated raw string"),
                e("\"\\", 0, "escape sequence not terminated"),
                e("\"\\c\"", 0, "unknown escape sequence U+0063 'c'"),
                e("\"\\'\"", 0, "unknown escape sequence U+0027 '''"),
                e("\"\\x.\"", 0, "illegal character U+002E '.' in escape sequence"),
                e("\"\\xZZ\"", 0, "illegal character U+005A 'Z' in escape sequence"),
                e("\"\\uD800\"", 0, "escape sequence is an invalid Unicode code point"),
                e("\"\\400\"", 0, "escape sequence is an invalid Unicode code point"),
                e("'abc", 0, "unterminated quoted string"),
                e("foo{a=\"\nb\"}", 6, "unterminated quoted string"),
                e("foo{a=\"\\\n\"}", 6, "unknown escape sequence U+000A"),
                // ---- syntax errors
                e("1+", 2, "unexpected end of input"),
                e("1 /", 3, "unexpected end of input"),
                e("x ^ ", 4, "unexpected end of input"),
                e("100..4", 4, "unexpected number \".4\""),
                e("*1", 0, "unexpected <op:*>"),
                e("*test", 0, "unexpected <op:*>"),
                e("-=", 1, "unexpected \"=\""),
                e("++-++-+-+-<", 10, "unexpected <op:<>"),
                e("e-+=/(0)", 3, "unexpected \"=\""),
                e("1 + 2 3", 6, "unexpected number \"3\""),
                e("1 + 2 12345678901", 6, "unexpected number \"1234567890\"..."),
                e("foo bar", 4, "unexpected identifier \"bar\""),
                e("foo{a=\"b\"} {c=\"d\"}", 11, "unexpected \"{\""),
                e("1 bool 2", 2, "unexpected <bool>"),
                e("on(a)", 0, "unexpected <on>"),
                e("group_left", 0, "unexpected <group_left>"),
                e("atan2", 0, "unexpected <op:atan2>"),
                e("1h + 1", 0, "unexpected duration \"1h\""),
                e("Inf{a=\"b\"}", 3, "unexpected \"{\""),
                e("foo @ @", 6, "unexpected <op:@> in @, expected timestamp"),
                e("x \"long string value\"", 2, "unexpected string \"\\\"long stri\"..."),
                e("foo and", 7, "unexpected end of input"),
                e("a - on(b) ignoring(c) d", 10, "unexpected <ignoring>"),
                e("foo + group_left(baz) bar", 6, "unexpected <group_left>"),
                e("foo * on(a) group_left(b c) bar", 25,
                        "unexpected identifier \"c\" in grouping opts, expected \",\" or \")\""),
                e("foo * on a bar", 9, "unexpected identifier \"a\" in grouping opts, expected \"(\""),
                e("start()", 5, "unexpected \"(\""),
                e("end()", 3, "unexpected \"(\""),
                e("foo:bar()", 7, "unexpected \"(\""),
                e("()", 1, "unexpected \")\""),
                e("1 @ 2", 0, "@ modifier must be preceded by an instant vector selector or range vector selector "
                        + "or a subquery"),
                e("foo +\n  bar baz", 12, "unexpected identifier \"baz\""),
                // ---- label matchers
                e("some_metric{a=b}", 14, "unexpected identifier \"b\" in label matching, expected string"),
                e("foo{gibberish}", 13, "unexpected \"}\" in label matching, expected label matching operator"),
                e("foo{__name__= =}", 14, "unexpected \"=\" in label matching, expected string"),
                e("foo{__name__ == \"bar\"}", 14, "unexpected \"=\" in label matching, expected string"),
                e("foo{,}", 4, "unexpected \",\" in label matching, expected identifier or \"}\""),
                e("foo{a=\"b\",,}", 10, "unexpected \",\" in label matching, expected identifier or \"}\""),
                e("foo{__name__=\"bar\" lol}", 19,
                        "unexpected identifier \"lol\" in label matching, expected \",\" or \"}\""),
                e("foo{\"a.b\"=1}", 10, "unexpected character inside braces: '1'"),
                e("foo{\"a.b\"=x}", 10, "unexpected identifier \"x\" in label matching, expected string"),
                e("{\"\"=\"x\"}", 1, "invalid label name \"\""),
                e("foo{\"a\"=}", 8, "unexpected \"}\" in label matching, expected string"),
                e("sum by (\"foo)(some_metric{})", 8, "unterminated quoted string"),
                e("sum by (\"\") (x)", 8, "invalid label name for grouping: \"\""),
                // ---- selector checks
                e("{}", 0, "vector selector must contain at least one non-empty matcher"),
                e("{x=\"\"}", 0, "vector selector must contain at least one non-empty matcher"),
                e("{x=~\".*\"}", 0, "vector selector must contain at least one non-empty matcher"),
                e("{x!~\".+\"}", 0, "vector selector must contain at least one non-empty matcher"),
                e("{x!=\"a\"}", 0, "vector selector must contain at least one non-empty matcher"),
                e("{\"\"}", 0, "vector selector must contain at least one non-empty matcher"),
                e("foo{__name__=\"bar\"}", 0, "metric name must not be set twice: \"foo\" or \"bar\""),
                e("foo{__name__=~\"b.*\"}", 0, "metric name must not be set twice: \"foo\" or \"b.*\""),
                e("foo{\"bar\"}", 0, "metric name must not be set twice: \"foo\" or \"bar\""),
                e("1 + {}", 4, "vector selector must contain at least one non-empty matcher"),
                // ---- regular expressions (Go RE2 syntax, anchored as ^(?:re)$)
                e("foo{a=~\"(\"}", 4, "error parsing regexp: missing closing ): `^(?:()$`"),
                e("foo{a=~\")\"}", 4, "error parsing regexp: unexpected ): `^(?:))$`"),
                e("foo{a=~\"\\\\1\"}", 4, "error parsing regexp: invalid escape sequence: `\\1`"),
                e("foo{a=~\"(a)\\\\1\"}", 4, "error parsing regexp: invalid escape sequence: `\\1`"),
                e("foo{a=~\"(?=x)\"}", 4, "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
                e("foo{a=~\"(?!x)\"}", 4, "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"),
                e("foo{a=~\"(?<=x)\"}", 4, "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"),
                e("foo{a=~\"(?>x)\"}", 4, "error parsing regexp: invalid or unsupported Perl syntax: `(?>`"),
                e("foo{a=~\"a**\"}", 4, "error parsing regexp: invalid nested repetition operator: `**`"),
                e("foo{a=~\"a*+\"}", 4, "error parsing regexp: invalid nested repetition operator: `*+`"),
                e("foo{a=~\"*a\"}", 4, "error parsing regexp: missing argument to repetition operator: `*`"),
                e("foo{a=~\"a|?\"}", 4, "error parsing regexp: missing argument to repetition operator: `?`"),
                e("foo{a=~\"a{1001}\"}", 4, "error parsing regexp: invalid repeat count: `{1001}`"),
                e("foo{a=~\"a{3,2}\"}", 4, "error parsing regexp: invalid repeat count: `{3,2}`"),
                e("foo{a=~\"[z-a]\"}", 4, "error parsing regexp: invalid character class range: `z-a`"),
                e("foo{a=~\"[a\"}", 4, "error parsing regexp: missing closing ]: `[a)$`"),
                e("foo{a=~\"[[:foo:]]\"}", 4, "error parsing regexp: invalid character class range: `[:foo:]`"),
                e("foo{a=~\"\\\\Z\"}", 4, "error parsing regexp: invalid escape sequence: `\\Z`"),
                e("foo{a=~\"\\\\h\"}", 4, "error parsing regexp: invalid escape sequence: `\\h`"),
                e("foo{a=~\"\\\\pX\"}", 4, "error parsing regexp: invalid character class range: `\\pX`"),
                e("foo{a=~\"(?P<na-me>x)\"}", 4, "error parsing regexp: invalid named capture: `(?P<na-me>`"),
                e("foo{bar=\"x\", a!~\"(?i-)\"}", 13, "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"),
                // ---- numbers and durations
                e("999e999", 0, "error parsing number: strconv.ParseFloat: parsing \"999e999\": value out of range"),
                e("0x", 0, "error parsing number: strconv.ParseFloat: parsing \"0x\": invalid syntax"),
                e("1e", 0, "error parsing number: strconv.ParseFloat: parsing \"1e\": invalid syntax"),
                e("foo[5y1hs]", 4, "not a valid duration string: \"5y1hs\""),
                e("foo[5m1h]", 4, "not a valid duration string: \"5m1h\""),
                e("foo[5m1m]", 4, "not a valid duration string: \"5m1m\""),
                e("foo[1.5m]", 4, "not a valid duration string: \"1.5m\""),
                e("foo[0m]", 4, "duration must be greater than 0"),
                e("foo[5m:0s]", 7, "duration must be greater than 0"),
                e("foo offset 0s", 11, "duration must be greater than 0"),
                e("foo offset 300000y", 11, "duration out of range"),
                // ---- offset, @, ranges, subqueries
                e("some_metric[5m] OFFSET 1", 23, "unexpected number \"1\" in offset, expected duration"),
                e("some_metric[5m] OFFSET", 22, "unexpected end of input in offset, expected duration"),
                e("foo offset -x", 12, "unexpected identifier \"x\" in offset, expected duration"),
                e("foo offset +5m", 11, "unexpected <op:+> in offset, expected duration"),
                e("1 offset 1d", 0, "offset modifier must be preceded by an instant vector selector or range vector "
                        + "selector or a subquery"),
                e("sum(x) offset 5m", 0, "offset modifier must be preceded by an instant vector selector or range "
                        + "vector selector or a subquery"),
                e("(foo) offset 5m", 0, "offset modifier must be preceded by an instant vector selector or range "
                        + "vector selector or a subquery"),
                e("foo offset 1s offset 2s", 0, "offset may not be set multiple times"),
                e("x[5m] offset 1m offset 1m", 0, "offset may not be set multiple times"),
                e("x[5m:] offset 1m offset 1m", 0, "offset may not be set multiple times"),
                e("some_metric OFFSET 1m[5m]", 21, "no offset modifiers allowed before range"),
                e("some_metric[5m] @ 1m", 18, "unexpected duration \"1m\" in @, expected timestamp"),
                e("some_metric[5m] @", 17, "unexpected end of input in @, expected timestamp"),
                e("foo @ start", 11, "unexpected end of input in @, expected timestamp"),
                e("foo @ end(1)", 10, "unexpected number \"1\" in @, expected timestamp"),
                e("foo @ - x", 8, "unexpected identifier \"x\" in @, expected timestamp"),
                e("some_metric @ 1234 [5m]", 19, "no @ modifiers allowed before range"),
                e("foo @ 1 @ 2", 0, "@ <timestamp> may not be set multiple times"),
                e("foo @ start() @ end()", 0, "@ <timestamp> may not be set multiple times"),
                e("x[5m:1m] @ 10 @ 10", 0, "@ <timestamp> may not be set multiple times"),
                e("foo @ +Inf", 0, "timestamp out of bounds for @ modifier: +Inf"),
                e("foo @ -Inf", 0, "timestamp out of bounds for @ modifier: -Inf"),
                e("foo @ NaN", 0, "timestamp out of bounds for @ modifier: NaN"),
                e("foo @ 9223372036854775808", 0,
                        "timestamp out of bounds for @ modifier: 9223372036854775808.000000"),
                e("foo @ -9223372036854775809", 0,
                        "timestamp out of bounds for @ modifier: -9223372036854775808.000000"),
                e("rate(some_metric[5m]) @ 1234", 0, "@ modifier must be preceded by an instant vector selector or "
                        + "range vector selector or a subquery"),
                e("(foo + bar)[5m]", 11, "ranges only allowed for vector selectors"),
                e("foo[5m] [5m]", 8, "ranges only allowed for vector selectors"),
                e("rate(food[1m])[1h] offset 1h", 14, "ranges only allowed for vector selectors"),
                e("rate(food[1m])[1h] @ 100", 14, "ranges only allowed for vector selectors"),
                e("rate(x[5m)", 9, "unexpected \")\" in subquery or range, expected \":\" or \"]\""),
                e("rate(foo[5m:1m)", 14, "unexpected \")\" in subquery selector, expected \"]\""),
                e("rate(foo[5m:)", 12, "unexpected \")\" in subquery selector, expected duration or \"]\""),
                e("test[5d] OFFSET 10s [10m:5s]", 0, "subquery is only allowed on instant vector, got matrix instead"),
                e("(foo + bar{nm=\"val\"})[5m:][10m:5s]", 0,
                        "subquery is only allowed on instant vector, got matrix instead"),
                e("1[5m:]", 0, "subquery is only allowed on instant vector, got scalar instead"),
                e("\"a\"[5m:]", 0, "subquery is only allowed on instant vector, got string instead"),
                // ---- operators and types
                e("1 and 1", 0, "set operator \"and\" not allowed in binary scalar expression"),
                e("1 or 1", 0, "set operator \"or\" not allowed in binary scalar expression"),
                e("1 unless 1", 0, "set operator \"unless\" not allowed in binary scalar expression"),
                e("foo and 1", 0, "set operator \"and\" not allowed in binary scalar expression"),
                e("1 and foo", 0, "set operator \"and\" not allowed in binary scalar expression"),
                e("foo or 1", 0, "set operator \"or\" not allowed in binary scalar expression"),
                e("foo unless 1", 0, "set operator \"unless\" not allowed in binary scalar expression"),
                e("1 == 1", 2, "comparisons between scalars must use BOOL modifier"),
                e("foo + (1 >  2)", 9, "comparisons between scalars must use BOOL modifier"),
                e("-\"string\"", 0, "unary expression only allowed on expressions of type scalar or instant vector, "
                        + "got \"string\""),
                e("-test[5m]", 0, "unary expression only allowed on expressions of type scalar or instant vector, "
                        + "got \"range vector\""),
                e("1 or on(bar) foo", 0, "vector matching only allowed between instant vectors"),
                e("foo == on(bar) 10", 0, "vector matching only allowed between instant vectors"),
                e("foo and on(bar) group_left(baz) bar", 0, "no grouping allowed for \"and\" operation"),
                e("foo and on(bar) group_right(baz) bar", 0, "no grouping allowed for \"and\" operation"),
                e("foo or on(bar) group_left(baz) bar", 0, "no grouping allowed for \"or\" operation"),
                e("foo unless on(bar) group_right(baz) bar", 0, "no grouping allowed for \"unless\" operation"),
                e("http_requests{group=\"production\"} + on(instance) group_left(job,instance) cpu_count{type=\"smp\"}",
                        34, "label \"instance\" must not occur in ON and GROUP clause at once"),
                e("foo + bool bar", 4, "bool modifier can only be used on comparison operators"),
                e("foo + bool 10", 4, "bool modifier can only be used on comparison operators"),
                e("foo and bool 10", 4, "bool modifier can only be used on comparison operators"),
                e("1 + foo[5m]", 4, "binary expression must contain only scalar and instant vector types"),
                e("foo[5m] + 1", 0, "binary expression must contain only scalar and instant vector types"),
                e("\"a\" + 1", 0, "binary expression must contain only scalar and instant vector types"),
                // ---- aggregations
                e("sum without(==)(some_metric)", 12, "unexpected <op:==> in grouping opts, expected label"),
                e("sum without(,)(some_metric)", 12, "unexpected \",\" in grouping opts, expected label"),
                e("sum without(foo,,)(some_metric)", 16, "unexpected \",\" in grouping opts, expected label"),
                e("sum by (foo:bar) (x)", 8,
                        "unexpected metric identifier \"foo:bar\" in grouping opts, expected label"),
                e("sum by (1) (x)", 8, "unexpected number \"1\" in grouping opts, expected label"),
                e("sum some_metric by (test)", 4, "unexpected identifier \"some_metric\""),
                e("sum (some_metric) by test", 21,
                        "unexpected identifier \"test\" in grouping opts, expected \"(\""),
                e("sum by (a) x", 11, "unexpected identifier \"x\" in aggregation"),
                e("sum by (a)", 10, "unexpected end of input in aggregation"),
                e("sum(1 +)", 7, "unexpected \")\" in aggregation"),
                e("sum(rate(x[5m]) y)", 16, "unexpected identifier \"y\" in aggregation"),
                e("rate(1 +)", 8, "unexpected \")\""),
                e("sum () by (test)", 0, "no arguments for aggregate expression provided"),
                e("MIN keep_common (some_metric)", 4, "unexpected identifier \"keep_common\""),
                e("MIN (some_metric) keep_common", 18, "unexpected identifier \"keep_common\""),
                e("sum (some_metric) without (test) by (test)", 33, "unexpected <by>"),
                e("sum without (test) (some_metric) by (test)", 33, "unexpected <by>"),
                e("topk(some_metric)", 0,
                        "wrong number of arguments for aggregate expression provided, expected 2, got 1"),
                e("topk(1, 2, x)", 0, "wrong number of arguments for aggregate expression provided, expected 2, got 3"),
                e("sum(x, y)", 0, "wrong number of arguments for aggregate expression provided, expected 1, got 2"),
                e("count_values(x)", 0,
                        "wrong number of arguments for aggregate expression provided, expected 2, got 1"),
                e("topk(some_metric,)", 16, "trailing commas not allowed in function call args"),
                e("topk(some_metric, other_metric)", 5,
                        "expected type scalar in aggregation parameter, got instant vector"),
                e("count_values(5, other_metric)", 13, "expected type string in aggregation parameter, got scalar"),
                e("quantile(\"a\", x)", 9, "expected type scalar in aggregation parameter, got string"),
                e("sum(x[5m])", 4, "expected type instant vector in aggregation expression, got range vector"),
                e("avg(1)", 4, "expected type instant vector in aggregation expression, got scalar"),
                // ---- functions
                e("floor()", 0, "expected 1 argument(s) in call to \"floor\", got 0"),
                e("floor(some_metric, other_metric)", 0, "expected 1 argument(s) in call to \"floor\", got 2"),
                e("floor(some_metric, 1)", 0, "expected 1 argument(s) in call to \"floor\", got 2"),
                e("floor(1)", 6, "expected type instant vector in call to function \"floor\", got scalar"),
                e("hour(some_metric, some_metric, some_metric)", 0,
                        "expected at most 1 argument(s) in call to \"hour\", got 3"),
                e("time(some_metric)", 0, "expected 0 argument(s) in call to \"time\", got 1"),
                e("label_join(x)", 0, "expected at least 3 argument(s) in call to \"label_join\", got 1"),
                e("label_join(x, 1, \"a\", \"b\")", 14,
                        "expected type string in call to function \"label_join\", got scalar"),
                e("label_join(x, \"a\", \"b\", \"c\", 1)", 29,
                        "expected type string in call to function \"label_join\", got scalar"),
                e("histogram_quantile(x, 0.9)", 19,
                        "expected type scalar in call to function \"histogram_quantile\", got instant vector"),
                e("non_existent_function_far_bar()", 0,
                        "unknown function with name \"non_existent_function_far_bar\""),
                e("a>b()", 2, "unknown function with name \"b\""),
                e("Rate(x[5m])", 0, "unknown function with name \"Rate\""),
                e("foo(1 +)", 7, "unexpected \")\""),
                e("f(a,,b)", 3, "trailing commas not allowed in function call args"),
                e("rate(some_metric)", 5, "expected type range vector in call to function \"rate\", got instant vector"),
                e("rate(avg)", 5, "expected type range vector in call to function \"rate\", got instant vector"),
                e("avg_over_time(x)", 14,
                        "expected type range vector in call to function \"avg_over_time\", got instant vector"),
                e("vector(x)", 7, "expected type scalar in call to function \"vector\", got instant vector"),
                e("abs(\"s\")", 4, "expected type instant vector in call to function \"abs\", got string"),
                e("rate(x[5m:1m] @ 1 offset 1m, 1)", 0, "expected 1 argument(s) in call to \"rate\", got 2"));
    }

    private static Arguments e(String input, int position, String message) {
        return Arguments.of(input, position, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsPositionAndMessage(String input, int position, String message) {
        PromQLParseException ex = assertThrows(PromQLParseException.class, () -> PromQLParser.parse(input));
        assertEquals(message, ex.detail(), input);
        assertEquals(position, ex.position(), input);
        assertEquals(ex.line() + ":" + ex.column() + ": parse error: " + message, ex.getMessage());
    }

    @Test
    void lineAndColumn() {
        PromQLParseException ex = assertThrows(PromQLParseException.class,
                () -> PromQLParser.parse("foo +\n  bar baz"));
        assertEquals(2, ex.line());
        assertEquals(7, ex.column());
        assertEquals("2:7: parse error: unexpected identifier \"baz\"", ex.getMessage());
        ex = assertThrows(PromQLParseException.class, () -> PromQLParser.parse("1 == 1"));
        assertEquals("1:3: parse error: comparisons between scalars must use BOOL modifier", ex.getMessage());
        ex = assertThrows(PromQLParseException.class, () -> PromQLParser.parse("sum(x)\n\n  by (a) (y)"));
        assertEquals(3, ex.line());
        assertEquals(10, ex.column());
    }

    @Test
    void deeplyNestedInputDoesNotOverflow() {
        String q = "(" + "-{}-1".repeat(10000) + ")" + "[1m:]".repeat(1000); // as in Prometheus' tests
        PromQLParseException ex = assertThrows(PromQLParseException.class, () -> PromQLParser.parse(q));
        assertEquals("1:3: parse error: vector selector must contain at least one non-empty matcher", ex.getMessage());
    }
}
