package io.tidemark.promql;

import java.util.Locale;
import java.util.Map;

/**
 * The PromQL lexer: a pull-based port of the state machine in Prometheus' {@code promql/parser/lex.go} (same
 * tokens, same quirks, same error messages). Comments and white space are skipped. The first lexical error throws
 * a {@link PromQLParseException}.
 */
final class Lexer {

    private static final int EOF = -1;

    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("and", TokenType.LAND), Map.entry("or", TokenType.LOR), Map.entry("unless", TokenType.LUNLESS),
            Map.entry("atan2", TokenType.ATAN2),
            Map.entry("sum", TokenType.SUM), Map.entry("avg", TokenType.AVG), Map.entry("count", TokenType.COUNT),
            Map.entry("min", TokenType.MIN), Map.entry("max", TokenType.MAX), Map.entry("group", TokenType.GROUP),
            Map.entry("stddev", TokenType.STDDEV), Map.entry("stdvar", TokenType.STDVAR),
            Map.entry("topk", TokenType.TOPK), Map.entry("bottomk", TokenType.BOTTOMK),
            Map.entry("count_values", TokenType.COUNT_VALUES), Map.entry("quantile", TokenType.QUANTILE),
            Map.entry("offset", TokenType.OFFSET), Map.entry("by", TokenType.BY),
            Map.entry("without", TokenType.WITHOUT), Map.entry("on", TokenType.ON),
            Map.entry("ignoring", TokenType.IGNORING), Map.entry("group_left", TokenType.GROUP_LEFT),
            Map.entry("group_right", TokenType.GROUP_RIGHT), Map.entry("bool", TokenType.BOOL),
            Map.entry("start", TokenType.START), Map.entry("end", TokenType.END),
            Map.entry("inf", TokenType.NUMBER), Map.entry("nan", TokenType.NUMBER));

    private final String input;
    private int pos;
    private int start;
    private int width;

    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private boolean durationNext;
    private boolean done;

    Lexer(String input) {
        this.input = input;
    }

    /** The next token (EOF forever once the input is exhausted). */
    Token next() {
        if (done) {
            return new Token(TokenType.EOF, input.length(), "");
        }
        while (true) {
            start = pos;
            if (durationNext) {
                durationNext = false;
                return lexDuration();
            }
            if (input.startsWith("#", pos)) {
                skipLineComment();
                continue;
            }
            Token t = braceOpen ? lexInsideBraces() : lexStatement();
            if (t != null) {
                return t;
            }
        }
    }

    // ---- helpers mirroring lex.go ----

    private int nextRune() {
        if (pos >= input.length()) {
            width = 0;
            return EOF;
        }
        int r = input.codePointAt(pos);
        width = Character.charCount(r);
        pos += width;
        return r;
    }

    private int peek() {
        int r = nextRune();
        backup();
        return r;
    }

    private void backup() {
        pos -= width;
    }

    private boolean accept(String valid) {
        int r = nextRune();
        if (r != EOF && valid.indexOf(r) >= 0) {
            return true;
        }
        backup();
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consume
        }
    }

    private Token emit(TokenType type) {
        Token t = new Token(type, start, input.substring(start, pos));
        start = pos;
        return t;
    }

    private PromQLParseException error(String message) {
        done = true;
        return new PromQLParseException(input, start, message);
    }

    private static boolean isSpace(int r) {
        return r == ' ' || r == '\t' || r == '\n' || r == '\r';
    }

    static boolean isAlpha(int r) {
        return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z');
    }

    static boolean isDigit(int r) {
        return '0' <= r && r <= '9';
    }

    static boolean isAlphaNumeric(int r) {
        return isAlpha(r) || isDigit(r);
    }

    /** Whether s is a valid (legacy) label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    static boolean isLabel(String s) {
        if (s.isEmpty() || !isAlpha(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isAlphaNumeric(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private void skipSpaces() {
        while (isSpace(peek())) {
            nextRune();
        }
        start = pos;
    }

    private void skipLineComment() {
        pos += 1;
        int r = nextRune();
        while (r != '\r' && r != '\n' && r != EOF) {
            r = nextRune();
        }
        backup();
        start = pos;
    }

    // ---- states ----

    private Token lexStatement() {
        int r = nextRune();
        switch (r) {
            case EOF -> {
                if (parenDepth != 0) {
                    throw error("unclosed left parenthesis");
                } else if (bracketOpen) {
                    throw error("unclosed left bracket");
                }
                done = true;
                return emit(TokenType.EOF);
            }
            case ',' -> {
                return emit(TokenType.COMMA);
            }
            case ' ', '\t', '\n', '\r' -> {
                skipSpaces();
                return null;
            }
            case '*' -> {
                return emit(TokenType.MUL);
            }
            case '/' -> {
                return emit(TokenType.DIV);
            }
            case '%' -> {
                return emit(TokenType.MOD);
            }
            case '+' -> {
                return emit(TokenType.ADD);
            }
            case '-' -> {
                return emit(TokenType.SUB);
            }
            case '^' -> {
                return emit(TokenType.POW);
            }
            case '=' -> {
                int t = peek();
                if (t == '=') {
                    nextRune();
                    return emit(TokenType.EQLC);
                } else if (t == '~') {
                    throw error("unexpected character after '=': " + GoText.quoteRune(t));
                }
                return emit(TokenType.EQL);
            }
            case '!' -> {
                int t = nextRune();
                if (t == '=') {
                    return emit(TokenType.NEQ);
                }
                throw error("unexpected character after '!': " + GoText.quoteRune(t));
            }
            case '<' -> {
                if (peek() == '=') {
                    nextRune();
                    return emit(TokenType.LTE);
                }
                return emit(TokenType.LSS);
            }
            case '>' -> {
                if (peek() == '=') {
                    nextRune();
                    return emit(TokenType.GTE);
                }
                return emit(TokenType.GTR);
            }
            case '"', '\'' -> {
                return lexString(r);
            }
            case '`' -> {
                return lexRawString();
            }
            case '(' -> {
                parenDepth++;
                return emit(TokenType.LEFT_PAREN);
            }
            case ')' -> {
                Token t = emit(TokenType.RIGHT_PAREN);
                parenDepth--;
                if (parenDepth < 0) {
                    throw error("unexpected right parenthesis " + GoText.quoteRune(r));
                }
                return t;
            }
            case '{' -> {
                braceOpen = true;
                return emit(TokenType.LEFT_BRACE);
            }
            case '[' -> {
                if (bracketOpen) {
                    throw error("unexpected left bracket " + GoText.quoteRune(r));
                }
                gotColon = false;
                Token t = emit(TokenType.LEFT_BRACKET);
                if (isSpace(peek())) {
                    skipSpaces();
                }
                bracketOpen = true;
                durationNext = true;
                return t;
            }
            case ']' -> {
                if (!bracketOpen) {
                    throw error("unexpected right bracket " + GoText.quoteRune(r));
                }
                bracketOpen = false;
                return emit(TokenType.RIGHT_BRACKET);
            }
            case '@' -> {
                return emit(TokenType.AT);
            }
            default -> {
                if (isDigit(r) || (r == '.' && isDigit(peek()))) {
                    backup();
                    return lexNumberOrDuration();
                }
                if (isAlpha(r) || r == ':') {
                    if (!bracketOpen) {
                        backup();
                        return lexKeywordOrIdentifier();
                    }
                    if (gotColon) {
                        throw error("unexpected colon " + GoText.quoteRune(r));
                    }
                    gotColon = true;
                    return emit(TokenType.COLON);
                }
                throw error("unexpected character: " + GoText.quoteRune(r));
            }
        }
    }

    private Token lexInsideBraces() {
        int r = nextRune();
        switch (r) {
            case EOF -> throw error("unexpected end of input inside braces");
            case ' ', '\t', '\n', '\r' -> {
                skipSpaces();
                return null;
            }
            case ',' -> {
                return emit(TokenType.COMMA);
            }
            case '"', '\'' -> {
                return lexString(r);
            }
            case '`' -> {
                return lexRawString();
            }
            case '=' -> {
                if (nextRune() == '~') {
                    return emit(TokenType.EQL_REGEX);
                }
                backup();
                return emit(TokenType.EQL);
            }
            case '!' -> {
                int nr = nextRune();
                if (nr == '~') {
                    return emit(TokenType.NEQ_REGEX);
                } else if (nr == '=') {
                    return emit(TokenType.NEQ);
                }
                throw error("unexpected character after '!' inside braces: " + GoText.quoteRune(nr));
            }
            case '{' -> throw error("unexpected left brace " + GoText.quoteRune(r));
            case '}' -> {
                braceOpen = false;
                return emit(TokenType.RIGHT_BRACE);
            }
            default -> {
                if (isAlpha(r)) {
                    while (isAlphaNumeric(nextRune())) {
                        // absorb
                    }
                    backup();
                    return emit(TokenType.IDENTIFIER);
                }
                throw error("unexpected character inside braces: " + GoText.quoteRune(r));
            }
        }
    }

    private Token lexString(int quote) {
        while (true) {
            int r = nextRune();
            if (r == '\\') {
                lexEscape(quote);
            } else if (r == EOF || r == '\n') {
                throw error("unterminated quoted string");
            } else if (r >= 0xD800 && r < 0xE000) {
                throw error("invalid UTF-8 rune");
            } else if (r == quote) {
                return emit(TokenType.STRING);
            }
        }
    }

    private void lexEscape(int quote) {
        int n;
        int base;
        int max;
        int ch = nextRune();
        switch (ch) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
                return;
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                n = 3;
                base = 8;
                max = 255;
            }
            case 'x' -> {
                ch = nextRune();
                n = 2;
                base = 16;
                max = 255;
            }
            case 'u' -> {
                ch = nextRune();
                n = 4;
                base = 16;
                max = Character.MAX_CODE_POINT;
            }
            case 'U' -> {
                ch = nextRune();
                n = 8;
                base = 16;
                max = Character.MAX_CODE_POINT;
            }
            case EOF -> throw error("escape sequence not terminated");
            default -> {
                if (ch == quote) {
                    return;
                }
                throw error("unknown escape sequence " + GoText.unicodeNotation(ch));
            }
        }
        long x = 0;
        while (n > 0) {
            int d = digitVal(ch);
            if (d >= base) {
                if (ch == EOF) {
                    throw error("escape sequence not terminated");
                }
                throw error("illegal character " + GoText.unicodeNotation(ch) + " in escape sequence");
            }
            x = x * base + d;
            n--;
            if (n > 0) {
                ch = nextRune();
            }
        }
        if (x > max || 0xD800 <= x && x < 0xE000) {
            throw error("escape sequence is an invalid Unicode code point");
        }
    }

    private static int digitVal(int ch) {
        if ('0' <= ch && ch <= '9') {
            return ch - '0';
        } else if ('a' <= ch && ch <= 'f') {
            return ch - 'a' + 10;
        } else if ('A' <= ch && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return 16;
    }

    private Token lexRawString() {
        while (true) {
            int r = nextRune();
            if (r == EOF) {
                throw error("unterminated raw string");
            } else if (r >= 0xD800 && r < 0xE000) {
                throw error("invalid UTF-8 rune");
            } else if (r == '`') {
                return emit(TokenType.STRING);
            }
        }
    }

    private Token lexDuration() {
        if (scanNumber()) {
            throw error("missing unit character in duration");
        }
        if (!acceptRemainingDuration()) {
            throw error("bad duration syntax: " + GoText.quote(input.substring(start, pos)));
        }
        backup();
        return emit(TokenType.DURATION);
    }

    private Token lexNumberOrDuration() {
        if (scanNumber()) {
            return emit(TokenType.NUMBER);
        }
        if (acceptRemainingDuration()) {
            backup();
            return emit(TokenType.DURATION);
        }
        throw error("bad number or duration syntax: " + GoText.quote(input.substring(start, pos)));
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        accept("s");
        while (accept("0123456789")) {
            acceptRun("0123456789");
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        return !isAlphaNumeric(nextRune());
    }

    private boolean scanNumber() {
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            digits = "0123456789abcdefABCDEF";
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (accept("eE")) {
            accept("+-");
            acceptRun("0123456789");
        }
        return !isAlphaNumeric(peek());
    }

    private Token lexKeywordOrIdentifier() {
        while (true) {
            int r = nextRune();
            if (!(isAlphaNumeric(r) || r == ':')) {
                backup();
                break;
            }
        }
        String word = input.substring(start, pos);
        TokenType kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
        if (kw != null) {
            return emit(kw);
        }
        return emit(word.indexOf(':') >= 0 ? TokenType.METRIC_IDENTIFIER : TokenType.IDENTIFIER);
    }

    // ---- string unquoting (Prometheus' strutil.Unquote) ----

    /**
     * Unquotes a STRING token's text (validated by the lexer). {@code \x} and octal escapes denote bytes, as in Go;
     * the bytes are decoded as UTF-8 (so {@code "\xe2\x98\xba"} is ☺), with invalid sequences replaced by U+FFFD.
     */
    static String unquote(String s) {
        char q = s.charAt(0);
        String body = s.substring(1, s.length() - 1);
        if (q == '`') {
            return body;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(body.length());
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); ) {
            char c = body.charAt(i);
            if (c != '\\') {
                flush(bytes, out);
                int cp = body.codePointAt(i);
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> appendChar(bytes, out, 7);
                case 'b' -> appendChar(bytes, out, '\b');
                case 'f' -> appendChar(bytes, out, '\f');
                case 'n' -> appendChar(bytes, out, '\n');
                case 'r' -> appendChar(bytes, out, '\r');
                case 't' -> appendChar(bytes, out, '\t');
                case 'v' -> appendChar(bytes, out, 0x0B);
                case 'x' -> {
                    bytes.write(Integer.parseInt(body.substring(i, i + 2), 16));
                    i += 2;
                }
                case 'u' -> {
                    appendChar(bytes, out, Integer.parseInt(body.substring(i, i + 4), 16));
                    i += 4;
                }
                case 'U' -> {
                    appendChar(bytes, out, Integer.parseInt(body.substring(i, i + 8), 16));
                    i += 8;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    bytes.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
                    i += 2;
                }
                default -> appendChar(bytes, out, e); // \\, \" or \'
            }
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void appendChar(java.io.ByteArrayOutputStream bytes, StringBuilder out, int cp) {
        flush(bytes, out);
        out.appendCodePoint(cp);
    }

    private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
            bytes.reset();
        }
    }
}
