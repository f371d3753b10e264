package io.tidemark.promql;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tidemark.promql.TokenType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LexerTest {

    private static List<String> lex(String input) {
        Lexer l = new Lexer(input);
        List<String> out = new ArrayList<>();
        while (true) {
            Token t = l.next();
            if (t.type() == EOF) {
                return out;
            }
            out.add(t.type() + ":" + t.val() + "@" + t.pos());
        }
    }

    @Test
    void operatorsAndPunctuation() {
        assertEquals(List.of("LEFT_PAREN:(@0", "NUMBER:1@1", "ADD:+@2", "NUMBER:2@3", "RIGHT_PAREN:)@4",
                "MUL:*@6", "NUMBER:3@8", "POW:^@10", "NUMBER:4@11", "MOD:%@13", "NUMBER:5@14", "DIV:/@16",
                "NUMBER:6@17", "SUB:-@19", "NUMBER:7@20"), lex("(1+2) * 3 ^4 %5 /6 -7"));
        assertEquals(List.of("EQLC:==@0", "NEQ:!=@3", "LTE:<=@6", "LSS:<@9", "GTE:>=@11", "GTR:>@14", "EQL:=@16",
                "COMMA:,@17", "AT:@@18"), lex("== != <= < >= > =,@"));
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertEquals(List.of("SUM:SUM@0", "BY:By@4", "LAND:and@7", "LOR:OR@11", "LUNLESS:unless@14",
                "ATAN2:atan2@21", "OFFSET:offset@27", "BOOL:bool@34", "ON:on@39", "IGNORING:ignoring@42",
                "GROUP_LEFT:group_left@51", "GROUP_RIGHT:group_right@62", "WITHOUT:without@74", "START:start@82",
                "END:end@88", "COUNT_VALUES:count_values@92"),
                lex("SUM By and OR unless atan2 offset bool on ignoring group_left group_right without start end "
                        + "count_values"));
        assertEquals(List.of("NUMBER:Inf@0", "NUMBER:nan@4", "NUMBER:INF@8"), lex("Inf nan INF"));
        assertEquals(List.of("IDENTIFIER:Infinity@0"), lex("Infinity"));
    }

    @Test
    void identifiers() {
        assertEquals(List.of("IDENTIFIER:foo_bar1@0", "METRIC_IDENTIFIER:a:b:c@9", "METRIC_IDENTIFIER::x@15",
                "METRIC_IDENTIFIER:sum:@18"), lex("foo_bar1 a:b:c :x sum:"));
    }

    @Test
    void insideBracesKeywordsAreIdentifiers() {
        assertEquals(List.of("IDENTIFIER:foo@0", "LEFT_BRACE:{@3", "IDENTIFIER:on@4", "EQL:=@6", "STRING:\"a\"@7",
                "COMMA:,@10", "IDENTIFIER:sum@11", "NEQ:!=@14", "STRING:'b'@16", "COMMA:,@19", "IDENTIFIER:by@20",
                "EQL_REGEX:=~@22", "STRING:`c`@24", "COMMA:,@27", "IDENTIFIER:x@28", "NEQ_REGEX:!~@29",
                "STRING:\"d\"@31", "RIGHT_BRACE:}@34"), lex("foo{on=\"a\",sum!='b',by=~`c`,x!~\"d\"}"));
    }

    @Test
    void numbersAndDurations() {
        assertEquals(List.of("NUMBER:1@0", "NUMBER:.5@2", "NUMBER:5.@5", "NUMBER:1e-3@8", "NUMBER:0x1F@13",
                "NUMBER:0755@18", "DURATION:5m@23", "DURATION:1h30m@26", "DURATION:100ms@32", "DURATION:1y@38"),
                lex("1 .5 5. 1e-3 0x1F 0755 5m 1h30m 100ms 1y"));
        assertEquals(List.of("IDENTIFIER:foo@0", "LEFT_BRACKET:[@3", "DURATION:5m@5", "COLON::@7",
                "DURATION:1m@8", "RIGHT_BRACKET:]@10"), lex("foo[ 5m:1m]"));
        // Prometheus' lexer emits any letter after the range as the subquery colon.
        assertEquals(List.of("IDENTIFIER:foo@0", "LEFT_BRACKET:[@3", "DURATION:5m@4", "COLON:x@7",
                "RIGHT_BRACKET:]@8"), lex("foo[5m x]"));
    }

    @Test
    void commentsAndSpaceAreSkipped() {
        assertEquals(List.of("NUMBER:1@0", "ADD:+@12", "NUMBER:2@17"), lex("1 # comment\n+\r\n\t 2 # end"));
        assertEquals(List.of(), lex("# only a comment"));
        assertEquals(List.of("LEFT_BRACE:{@0", "IDENTIFIER:a@5", "EQL:=@6", "STRING:\"b\"@7", "RIGHT_BRACE:}@11"),
                lex("{ #x\na=\"b\" }"));
    }

    @Test
    void strings() {
        assertEquals(List.of("STRING:\"a\\\"b\"@0", "STRING:'c\\'d'@7", "STRING:`e\\f`@14"),
                lex("\"a\\\"b\" 'c\\'d' `e\\f`"));
    }

    @Test
    void unquote() {
        assertEquals("a\"b", Lexer.unquote("\"a\\\"b\""));
        assertEquals("c'd", Lexer.unquote("'c\\'d'"));
        assertEquals("e\\f", Lexer.unquote("`e\\f`"));
        assertEquals("☺A\u1234\uD800\uDD11\u0000", Lexer.unquote("\"\\xe2\\x98\\xba\\101\\u1234\\U00010111\\000\""));
        assertEquals("\uFFFD", Lexer.unquote("\"\\xff\""));
    }
}
