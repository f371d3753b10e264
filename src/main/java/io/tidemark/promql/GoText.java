package io.tidemark.promql;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Go's text formatting conventions that PromQL's printer and error messages rely on. */
public final class GoText {

    private GoText() {
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }

    /** Go's {@code strconv.Quote} ({@code %q} of a string). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        b.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            appendEscaped(b, cp, '"');
        }
        return b.append('"').toString();
    }

    /** Go's {@code %q} of a rune; {@code -1} (end of input) prints as the replacement character, like Go. */
    static String quoteRune(int cp) {
        if (cp < 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp < 0xE000)) {
            cp = 0xFFFD;
        }
        StringBuilder b = new StringBuilder("'");
        appendEscaped(b, cp, '\'');
        return b.append('\'').toString();
    }

    /** Go's {@code %#U} of a rune, e.g. {@code U+0063 'c'}. */
    static String unicodeNotation(int cp) {
        String s = String.format(Locale.ROOT, "U+%04X", cp);
        if (cp >= 0 && isPrint(cp)) {
            s += " '" + new String(Character.toChars(cp)) + "'";
        }
        return s;
    }

    private static void appendEscaped(StringBuilder b, int cp, char quote) {
        if (cp == quote || cp == '\\') {
            b.append('\\').appendCodePoint(cp);
            return;
        }
        if (isPrint(cp)) {
            b.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 7 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 0x0B -> b.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7F) {
                    b.append(String.format(Locale.ROOT, "\\x%02x", cp));
                } else if (cp >= 0xD800 && cp < 0xE000) {
                    b.append("\\ufffd");
                } else if (cp < 0x10000) {
                    b.append(String.format(Locale.ROOT, "\\u%04x", cp));
                } else {
                    b.append(String.format(Locale.ROOT, "\\U%08x", cp));
                }
            }
        }
    }

    /** Go's {@code %.10q...} truncation used for long token values in error messages. */
    static String quoteTruncated(String s) {
        if (s.codePointCount(0, s.length()) > 10) {
            return quote(s.substring(0, s.offsetByCodePoints(0, 10))) + "...";
        }
        return quote(s);
    }

    /**
     * Go's {@code %v} of a float64 ({@code strconv.FormatFloat(v, 'g', -1, 64)} with the shortest representation):
     * {@code 1}, {@code 0.5}, {@code 1e+06}, {@code 5e-05}, {@code +Inf}, {@code NaN}.
     */
    static String formatFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        double abs = Math.abs(v);
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal shortest = null;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(r.toString()) == abs) {
                shortest = r;
                break;
            }
        }
        if (shortest == null) {
            shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - shortest.scale(); // position of the decimal point relative to the digits
        int exp = dp - 1;
        StringBuilder b = new StringBuilder();
        if (v < 0) {
            b.append('-');
        }
        if (exp < -4 || exp >= 6) {
            b.append(digits.charAt(0));
            if (nd > 1) {
                b.append('.').append(digits, 1, nd);
            }
            b.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                b.append('0');
            }
            return b.append(ae).toString();
        }
        if (dp <= 0) {
            b.append("0.");
            b.append("0".repeat(-dp));
            b.append(digits);
        } else if (dp >= nd) {
            b.append(digits);
            b.append("0".repeat(dp - nd));
        } else {
            b.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
        return b.toString();
    }

    /** Go's {@code %f} ({@code %.6f}), with Go's spelling of infinities and NaN. */
    static String formatFixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }
}
