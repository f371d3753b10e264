package io.tidemark.promql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles Go (RE2) regular expressions with {@link java.util.regex}.
 *
 * <p>Prometheus compiles label matcher regexes with Go's {@code regexp} package, anchored as
 * {@code ^(?:re)$}. Java's syntax differs, so the expression is validated against Go's grammar (constructs RE2
 * lacks — backreferences, lookaround, atomic groups, possessive quantifiers, {@code \Z}, {@code \h}, ... — are
 * rejected with Go's error messages) and translated to an equivalent Java pattern:
 * <ul>
 *   <li>{@code (?P<name>re)} becomes a plain capturing group; the {@code U} (ungreedy) flag swaps the greediness
 *       of the quantifiers it covers;</li>
 *   <li>{@code \s} is Go's {@code [\t\n\f\r ]}, {@code \v} is the vertical tab, octal escapes are characters,
 *       {@code [[:alpha:]]}-style classes are expanded, {@code \pN}/{@code \p{Greek}} map to Java's names;</li>
 *   <li>{@code $} outside {@code (?m)} matches only at the end of the text ({@code \z}), and {@code .} excludes
 *       only {@code \n} ({@link Pattern#UNIX_LINES});</li>
 *   <li>a {@code {} that does not start a repetition is a literal, as in Go; repeat counts above 1000 fail.</li>
 * </ul>
 * Remaining differences: {@code \b} uses Java's ASCII {@code \w} emulation through lookaround (same result),
 * Unicode script/property names are looked up with Java's tables (Java accepts a few more names than Go, and
 * case-insensitively), and {@code (?i)} does not fold case inside {@code \p{..}} classes.
 */
final class GoRegex {

    static final int FLAGS = Pattern.UNIX_LINES | Pattern.UNICODE_CASE;

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "0-9A-Za-z"),
            Map.entry("alpha", "A-Za-z"),
            Map.entry("ascii", "\\x{0}-\\x{7F}"),
            Map.entry("blank", "\\x{9}\\x{20}"),
            Map.entry("cntrl", "\\x{0}-\\x{1F}\\x{7F}"),
            Map.entry("digit", "0-9"),
            Map.entry("graph", "\\x{21}-\\x{7E}"),
            Map.entry("lower", "a-z"),
            Map.entry("print", "\\x{20}-\\x{7E}"),
            Map.entry("punct", "\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}"),
            Map.entry("space", "\\x{9}-\\x{D}\\x{20}"),
            Map.entry("upper", "A-Z"),
            Map.entry("word", "0-9A-Za-z_"),
            Map.entry("xdigit", "0-9A-Fa-f"));

    private static final String GO_SPACE = "\\x{9}\\x{A}\\x{C}\\x{D}\\x{20}";

    /** A Go regexp syntax error; the message is Go's, e.g. {@code error parsing regexp: missing closing ): `(a`}. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String code, String fragment) {
            super("error parsing regexp: " + code + ": `" + fragment + "`");
        }

        SyntaxError(String message) {
            super(message);
        }
    }

    private GoRegex() {
    }

    /** Compiles {@code re} as Prometheus does for a label matcher: fully anchored. */
    static Pattern compileAnchored(String re) {
        return compile("^(?:" + re + ")$");
    }

    /** Compiles a Go regular expression (unanchored semantics: use {@code find()}). */
    static Pattern compile(String goRegex) {
        String java = new GoRegex.Translator(goRegex).translate();
        try {
            return Pattern.compile(java, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new SyntaxError("error parsing regexp: " + e.getDescription() + ": `" + goRegex + "`");
        }
    }

    /** Translates a Go regular expression into Java syntax; exposed for tests. */
    static String translate(String goRegex) {
        return new Translator(goRegex).translate();
    }

    private static final class Translator {
        private final String s;
        private final StringBuilder out = new StringBuilder();
        private int i;

        private boolean multiLine;
        private boolean ungreedy;
        private final Deque<boolean[]> groups = new ArrayDeque<>();

        private static final int EMPTY = 0;
        private static final int ATOM = 1;
        private static final int REPEATED = 2;
        private int state = EMPTY;
        private int lastRepeatStart = -1;

        Translator(String s) {
            this.s = s;
        }

        String translate() {
            while (i < s.length()) {
                int c = s.codePointAt(i);
                switch (c) {
                    case '(' -> openGroup();
                    case ')' -> {
                        if (groups.isEmpty()) {
                            throw new SyntaxError("unexpected )", s);
                        }
                        boolean[] saved = groups.pop();
                        multiLine = saved[0];
                        ungreedy = saved[1];
                        out.append(')');
                        i++;
                        state = ATOM;
                    }
                    case '|' -> {
                        out.append('|');
                        i++;
                        state = EMPTY;
                    }
                    case '*', '+', '?' -> {
                        int start = i;
                        i++;
                        repeat(start, String.valueOf((char) c));
                    }
                    case '{' -> {
                        int start = i;
                        String rep = parseRepeat();
                        if (rep == null) {
                            literal('{');
                            i++;
                        } else {
                            repeat(start, rep);
                        }
                    }
                    case '[' -> {
                        parseClass();
                        state = ATOM;
                    }
                    case '.' -> {
                        out.append('.');
                        i++;
                        state = ATOM;
                    }
                    case '^' -> {
                        out.append('^');
                        i++;
                        state = ATOM;
                    }
                    case '$' -> {
                        out.append(multiLine ? "$" : "\\z");
                        i++;
                        state = ATOM;
                    }
                    case '\\' -> {
                        escapeOutsideClass();
                        state = ATOM;
                    }
                    default -> {
                        literal(c);
                        i += Character.charCount(c);
                    }
                }
            }
            if (!groups.isEmpty()) {
                throw new SyntaxError("missing closing )", s);
            }
            return out.toString();
        }

        private void literal(int c) {
            if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x7F) {
                out.append(hex(c));
            } else {
                out.appendCodePoint(c);
            }
            state = ATOM;
        }

        private static String hex(int c) {
            return "\\x{" + Integer.toHexString(c) + "}";
        }

        private void repeat(int start, String op) {
            boolean lazy = false;
            if (i < s.length() && s.charAt(i) == '?') {
                lazy = true;
                i++;
            }
            if (state == REPEATED) {
                throw new SyntaxError("invalid nested repetition operator", s.substring(lastRepeatStart, i));
            }
            if (state == EMPTY) {
                throw new SyntaxError("missing argument to repetition operator", s.substring(start, i));
            }
            out.append(op);
            if (lazy != ungreedy) {
                out.append('?');
            }
            state = REPEATED;
            lastRepeatStart = start;
        }

        /** Parses {@code {n}}, {@code {n,}}, {@code {n,m}} at {@code i}; null (nothing consumed) if it is no repeat. */
        private String parseRepeat() {
            int j = i + 1;
            int minStart = j;
            while (j < s.length() && Character.isDigit(s.charAt(j)) && s.charAt(j) < 0x80) {
                j++;
            }
            if (j == minStart || j >= s.length()) {
                return null;
            }
            String min = s.substring(minStart, j);
            String max = min;
            boolean comma = s.charAt(j) == ',';
            if (comma) {
                j++;
                int maxStart = j;
                while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                    j++;
                }
                max = j == maxStart ? null : s.substring(maxStart, j);
            }
            if (j >= s.length() || s.charAt(j) != '}') {
                return null;
            }
            j++;
            long lo = parseCount(min);
            long hi = max == null ? -1 : parseCount(max);
            if (lo > 1000 || hi > 1000 || hi >= 0 && lo > hi) {
                throw new SyntaxError("invalid repeat count", s.substring(i, j));
            }
            i = j;
            return "{" + lo + (comma ? "," + (hi < 0 ? "" : String.valueOf(hi)) : "") + "}";
        }

        private static long parseCount(String digits) {
            return digits.length() > 8 ? Long.MAX_VALUE : Long.parseLong(digits);
        }

        private void openGroup() {
            int start = i;
            if (!s.startsWith("(?", i)) {
                groups.push(new boolean[] {multiLine, ungreedy});
                out.append('(');
                i++;
                state = EMPTY;
                return;
            }
            if (s.startsWith("(?P<", i) && s.length() - i > 4) {
                int end = s.indexOf('>', i);
                if (end < 0) {
                    throw new SyntaxError("invalid named capture", s.substring(start));
                }
                String name = s.substring(i + 4, end);
                if (name.isEmpty() || !name.chars().allMatch(ch -> ch == '_' || ch < 0x80 && Character.isLetterOrDigit(ch))) {
                    throw new SyntaxError("invalid named capture", s.substring(start, end + 1));
                }
                groups.push(new boolean[] {multiLine, ungreedy});
                out.append('(');
                i = end + 1;
                state = EMPTY;
                return;
            }
            // Flags: (?flags) or (?flags:re)
            int j = i + 2;
            boolean negate = false;
            boolean sawFlag = false;
            StringBuilder on = new StringBuilder();
            StringBuilder off = new StringBuilder();
            boolean ml = multiLine;
            boolean ug = ungreedy;
            while (j < s.length()) {
                char c = s.charAt(j++);
                switch (c) {
                    case 'i', 'm', 's', 'U' -> {
                        sawFlag = true;
                        if (c == 'm') {
                            ml = !negate;
                        }
                        if (c == 'U') {
                            ug = !negate;
                        } else {
                            (negate ? off : on).append(c);
                        }
                    }
                    case '-' -> {
                        if (negate) {
                            throw new SyntaxError("invalid or unsupported Perl syntax", s.substring(start, j));
                        }
                        negate = true;
                        sawFlag = false;
                    }
                    case ':', ')' -> {
                        if (negate && !sawFlag) {
                            throw new SyntaxError("invalid or unsupported Perl syntax", s.substring(start, j));
                        }
                        String flags = on + (off.length() > 0 ? "-" + off : "");
                        if (c == ':') {
                            groups.push(new boolean[] {multiLine, ungreedy});
                            out.append("(?").append(flags).append(':');
                            state = EMPTY;
                        } else if (!flags.isEmpty()) {
                            out.append("(?").append(flags).append(')');
                        }
                        multiLine = ml;
                        ungreedy = ug;
                        i = j;
                        return;
                    }
                    default -> throw new SyntaxError("invalid or unsupported Perl syntax", s.substring(start, j));
                }
            }
            throw new SyntaxError("missing closing )", s);
        }

        private void escapeOutsideClass() {
            if (i + 1 >= s.length()) {
                throw new SyntaxError("trailing backslash at end of expression", "");
            }
            char c = s.charAt(i + 1);
            switch (c) {
                case 'A', 'z' -> {
                    out.append('\\').append(c);
                    i += 2;
                }
                case 'b' -> {
                    out.append("(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))");
                    i += 2;
                }
                case 'B' -> {
                    out.append("(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))");
                    i += 2;
                }
                case 'Q' -> {
                    int end = s.indexOf("\\E", i + 2);
                    String lit = end < 0 ? s.substring(i + 2) : s.substring(i + 2, end);
                    i = end < 0 ? s.length() : end + 2;
                    lit.codePoints().forEach(this::literal);
                }
                case 'd', 'D', 'w', 'W' -> {
                    out.append('\\').append(c);
                    i += 2;
                }
                case 's' -> {
                    out.append('[').append(GO_SPACE).append(']');
                    i += 2;
                }
                case 'S' -> {
                    out.append("[^").append(GO_SPACE).append(']');
                    i += 2;
                }
                case 'p', 'P' -> out.append(unicodeClass(false));
                default -> literal(escapedChar());
            }
        }

        /** Go's parseEscape: a single character escape at {@code i} (the backslash); returns the code point. */
        private int escapedChar() {
            int start = i;
            i++; // backslash
            if (i >= s.length()) {
                throw new SyntaxError("trailing backslash at end of expression", "");
            }
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '1', '2', '3', '4', '5', '6', '7', '0' -> {
                    if (c != '0' && (i >= s.length() || s.charAt(i) < '0' || s.charAt(i) > '7')) {
                        break; // a backreference: not supported
                    }
                    int r = c - '0';
                    for (int k = 1; k < 3 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
                        r = r * 8 + s.charAt(i++) - '0';
                    }
                    return r;
                }
                case 'x' -> {
                    if (i >= s.length()) {
                        break;
                    }
                    if (s.charAt(i) == '{') {
                        i++;
                        int r = 0;
                        int nhex = 0;
                        while (true) {
                            if (i >= s.length()) {
                                throw new SyntaxError("invalid escape sequence", s.substring(start));
                            }
                            char h = s.charAt(i++);
                            if (h == '}') {
                                break;
                            }
                            if (!isHex(h)) {
                                throw new SyntaxError("invalid escape sequence", s.substring(start, i));
                            }
                            r = r * 16 + Character.digit(h, 16);
                            if (r > Character.MAX_CODE_POINT) {
                                throw new SyntaxError("invalid escape sequence", s.substring(start, i));
                            }
                            nhex++;
                        }
                        if (nhex == 0) {
                            break;
                        }
                        return r;
                    }
                    if (i + 1 < s.length() && isHex(s.charAt(i)) && isHex(s.charAt(i + 1))) {
                        int r = Integer.parseInt(s.substring(i, i + 2), 16);
                        i += 2;
                        return r;
                    }
                    i = Math.min(s.length(), i + 2);
                }
                case 'a' -> {
                    return 7;
                }
                case 'f' -> {
                    return '\f';
                }
                case 'n' -> {
                    return '\n';
                }
                case 'r' -> {
                    return '\r';
                }
                case 't' -> {
                    return '\t';
                }
                case 'v' -> {
                    return 0x0B;
                }
                default -> {
                    if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                        return c;
                    }
                }
            }
            throw new SyntaxError("invalid escape sequence", s.substring(start, Math.min(i, s.length())));
        }

        /** {@code \pL}, {@code \p{Greek}}, {@code \P{^Lu}} at {@code i}; returns the Java class text. */
        private String unicodeClass(boolean inClass) {
            int start = i;
            boolean negate = s.charAt(i + 1) == 'P';
            String name;
            if (i + 2 >= s.length()) {
                throw new SyntaxError("invalid character class range", s.substring(start));
            }
            if (s.charAt(i + 2) != '{') {
                int cp = s.codePointAt(i + 2);
                name = new String(Character.toChars(cp));
                i += 2 + Character.charCount(cp);
            } else {
                int end = s.indexOf('}', i);
                if (end < 0) {
                    throw new SyntaxError("invalid character class range", s.substring(start));
                }
                name = s.substring(i + 3, end);
                i = end + 1;
            }
            String seq = s.substring(start, i);
            if (name.startsWith("^")) {
                negate = !negate;
                name = name.substring(1);
            }
            if (name.equals("Any")) {
                String any = "\\x{0}-\\x{10FFFF}";
                if (inClass) {
                    return negate ? "[^" + any + "]" : any;
                }
                return negate ? "[^" + any + "]" : "[" + any + "]";
            }
            if (name.isEmpty() || !name.chars().allMatch(ch -> ch < 0x80 && (Character.isLetter(ch) || ch == '_'))) {
                throw new SyntaxError("invalid character class range", seq);
            }
            String java = (negate ? "\\P{" : "\\p{") + (name.length() <= 2 ? name : "Is" + name) + "}";
            try {
                Pattern.compile(java);
            } catch (PatternSyntaxException e) {
                throw new SyntaxError("invalid character class range", seq);
            }
            return java;
        }

        private void parseClass() {
            int start = i;
            i++;
            out.append('[');
            if (i < s.length() && s.charAt(i) == '^') {
                out.append('^');
                i++;
            }
            boolean first = true;
            while (true) {
                if (i >= s.length()) {
                    throw new SyntaxError("missing closing ]", s.substring(start));
                }
                char c = s.charAt(i);
                if (c == ']' && !first) {
                    out.append(']');
                    i++;
                    return;
                }
                first = false;
                if (c == '[' && s.startsWith("[:", i)) {
                    int end = s.indexOf(":]", i + 2);
                    if (end >= 0) {
                        String name = s.substring(i + 2, end);
                        boolean neg = name.startsWith("^");
                        String set = POSIX.get(neg ? name.substring(1) : name);
                        if (set == null) {
                            throw new SyntaxError("invalid character class range", s.substring(i, end + 2));
                        }
                        out.append(neg ? "[^" : "[").append(set).append(']');
                        i = end + 2;
                        continue;
                    }
                }
                if (c == '\\' && i + 1 < s.length()) {
                    char e = s.charAt(i + 1);
                    switch (e) {
                        case 'd', 'D', 'w', 'W' -> {
                            out.append('\\').append(e);
                            i += 2;
                            continue;
                        }
                        case 's' -> {
                            out.append(GO_SPACE);
                            i += 2;
                            continue;
                        }
                        case 'S' -> {
                            out.append("[^").append(GO_SPACE).append(']');
                            i += 2;
                            continue;
                        }
                        case 'p', 'P' -> {
                            out.append(unicodeClass(true));
                            continue;
                        }
                        default -> {
                        }
                    }
                }
                int rangeStart = i;
                int lo = classChar();
                if (i + 1 < s.length() && s.charAt(i) == '-' && s.charAt(i + 1) != ']') {
                    i++;
                    int hi = classChar();
                    if (hi < lo) {
                        throw new SyntaxError("invalid character class range", s.substring(rangeStart, i));
                    }
                    out.append(hex(lo)).append('-').append(hex(hi));
                } else {
                    out.append(hex(lo));
                }
            }
        }

        private int classChar() {
            if (i >= s.length()) {
                throw new SyntaxError("missing closing ]", s);
            }
            if (s.charAt(i) == '\\') {
                return escapedChar();
            }
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            return c;
        }
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
