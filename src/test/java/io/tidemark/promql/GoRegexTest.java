package io.tidemark.promql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Go RE2 syntax and semantics on java.util.regex, anchored like Prometheus' label matchers. */
class GoRegexTest {

    private static boolean full(String re, String s) {
        return GoRegex.compileAnchored(re).matcher(s).matches();
    }

    static Stream<Arguments> matching() {
        return Stream.of(
                m("abc", "abc", true), m("abc", "xabc", false), m("abc", "abcx", false), m("a|b", "a", true),
                m("a|b", "c", false), m("(?i)abc", "ABC", true), m("(?i)straße", "STRASSE", false),
                m("(?i)k", "\u212a", true), m("a.c", "a\rc", true), m("a.c", "a\nc", false), m("(?s)a.c", "a\nc", true),
                m("x{,3}", "x{,3}", true), m("x{", "x{", true), m("a{2}", "aa", true), m("a{2,}", "aaaa", true),
                m("a{2,3}", "aaaa", false), m("a{2,3}?", "aa", true), m("[[:alpha:]]+", "abcXYZ", true),
                m("[[:alpha:]]+", "ab1", false), m("[[:^digit:]]+", "ab", true), m("[[:digit:][:upper:]]+", "9Z", true),
                m("[^[:digit:]]", "5", false), m("[[:word:]]+", "a_1", true), m("[[:punct:]]+", "!-/[]", true),
                m("\\s", "\u000b", false), m("\\s", "\f", true), m("[\\s]", " ", true), m("\\S+", "ab", true),
                m("[\\S]", "\t", false), m("\\101\\0", "A\u0000", true), m("\\x41\\x{263a}", "A☺", true),
                m("\\Q.*\\E", ".*", true), m("\\Q.*\\E", "ab", false), m("\\.", ".", true), m("[]a]+", "]a", true),
                m("[a-]+", "-a", true), m("[a&&b]+", "a&b", true), m("[[]", "[", true), m("[a^]+", "^a", true),
                m("[^]a]", "b", true), m("\\pL+", "ab", true), m("\\p{Greek}+", "αβ", true), m("\\p{Greek}", "a", false),
                m("\\P{Lu}", "a", true), m("\\p{^Lu}", "A", false), m("\\p{Any}+", "x☺", true),
                m("[\\p{Lu}\\d]+", "A1", true), m("\\d+", "123", true), m("\\d", "٣", false), m("\\w+", "a_Z9", true),
                m("\\w", "é", false), m("a\\b", "a", true), m(".*\\bfoo\\b.*", "a foo b", true),
                m(".*\\bfoo\\b.*", "afoob", false), m(".*\\Bo\\B.*", "foo", true), m(".*\\Bf.*", "foo", false),
                m("(?P<name>a)b", "ab", true), m("(?:a|b)+", "abab", true), m("(?i:a)b", "Ab", true),
                m("(?i:a)b", "AB", false), m("(?i)a(?-i)b", "Ab", true), m("(?i)a(?-i)b", "AB", false),
                m("(?m)a$", "a", true), m("a$", "a", true), m("a$\n?", "a\n", false), m("(?m)a$\n?", "a\n", true),
                m("(?U)a+", "aaa", true), m("()", "", true), m("a)(b", "ab", true), m("^a$", "a", true),
                m("a\\z", "a", true), m("\\Aa", "a", true), m("\\n", "\n", true), m("\\t", "\t", true),
                m("\\v", "\u000b", true), m("\\a", "\u0007", true), m("\\f", "\f", true), m("\\r", "\r", true),
                m("a#b c", "a#b c", true), m("é", "é", true), m("😀+", "😀😀", true), m("[😀-😂]", "😁", true),
                m("\\$\\^", "$^", true), m("a}", "a}", true), m("a]", "a]", true));
    }

    private static Arguments m(String re, String input, boolean expected) {
        return Arguments.of(re, input, expected);
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @MethodSource("matching")
    void matchesLikeGo(String re, String input, boolean expected) {
        assertEquals(expected, full(re, input), () -> re + " => " + GoRegex.translate("^(?:" + re + ")$"));
    }

    @Test
    void ungreedyFlagSwapsQuantifiers() {
        Matcher m = GoRegex.compile("(?U)a+").matcher("aaa");
        assertTrue(m.find());
        assertEquals("a", m.group());
        m = GoRegex.compile("(?U)a+?").matcher("aaa");
        assertTrue(m.find());
        assertEquals("aaa", m.group());
        m = GoRegex.compile("(?U:(a+))(a*)").matcher("aaa");
        assertTrue(m.find());
        assertEquals("a", m.group(1));
        assertEquals("aa", m.group(2));
    }

    @Test
    void namedGroupsStayNumbered() {
        Matcher m = GoRegex.compile("(?P<first>a+)(b)").matcher("aab");
        assertTrue(m.find());
        assertEquals("aa", m.group(1));
        assertEquals("b", m.group(2));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "(|missing closing ): `(`",
        "a)|unexpected ): `a)`",
        "\\1|invalid escape sequence: `\\1`",
        "\\8|invalid escape sequence: `\\8`",
        "(?=a)|invalid or unsupported Perl syntax: `(?=`",
        "(?<name>a)|invalid or unsupported Perl syntax: `(?<`",
        "(?x)a|invalid or unsupported Perl syntax: `(?x`",
        "(?i-)a|invalid or unsupported Perl syntax: `(?i-)`",
        "(?P<>a)|invalid named capture: `(?P<>`",
        "(?P<a|invalid named capture: `(?P<a`",
        "a++|invalid nested repetition operator: `++`",
        "a*?*|invalid nested repetition operator: `*?*`",
        "a{2}{3}|invalid nested repetition operator: `{2}{3}`",
        "+|missing argument to repetition operator: `+`",
        "(*)|missing argument to repetition operator: `*`",
        "a{1001}|invalid repeat count: `{1001}`",
        "[b-a]|invalid character class range: `b-a`",
        "[a|missing closing ]: `[a`",
        "[[:nope:]]|invalid character class range: `[:nope:]`",
        "\\p{Nope}|invalid character class range: `\\p{Nope}`",
        "\\Z|invalid escape sequence: `\\Z`",
        "\\G|invalid escape sequence: `\\G`",
        "\\C|invalid escape sequence: `\\C`",
        "\\e|invalid escape sequence: `\\e`",
        "[\\b]|invalid escape sequence: `\\b`",
        "\\x{110000}|invalid escape sequence: `\\x{110000`",
        "\\xZ1|invalid escape sequence: `\\xZ1`",
    })
    void rejectsWhatRe2Rejects(String re, String message) {
        GoRegex.SyntaxError e = assertThrows(GoRegex.SyntaxError.class, () -> GoRegex.compile(re));
        assertEquals("error parsing regexp: " + message, e.getMessage());
    }

    @Test
    void trailingBackslash() {
        GoRegex.SyntaxError e = assertThrows(GoRegex.SyntaxError.class, () -> GoRegex.compile("a\\"));
        assertEquals("error parsing regexp: trailing backslash at end of expression: ``", e.getMessage());
    }

    @Test
    void labelMatcherUsesTheAnchoredPattern() {
        LabelMatcher m = LabelMatcher.of(MatchType.REGEX, "job", "api|web");
        assertTrue(m.matches("api"));
        assertFalse(m.matches("api2"));
        assertFalse(m.matches(""));
        assertTrue(LabelMatcher.of(MatchType.NOT_REGEX, "job", "api|web").matches(""));
        assertTrue(LabelMatcher.of(MatchType.REGEX, "job", ".*").matches(""));
        assertEquals(LabelMatcher.of(MatchType.REGEX, "a", "b"), LabelMatcher.of(MatchType.REGEX, "a", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelMatcher.of(MatchType.REGEX, "a", "(?<=x)y"));
        assertEquals("error parsing regexp: invalid or unsupported Perl syntax: `(?<`", e.getMessage());
    }
}
