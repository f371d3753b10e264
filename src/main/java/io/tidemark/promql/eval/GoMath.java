package io.tidemark.promql.eval;

import java.math.BigDecimal;

/** Go's float64 semantics where they differ from Java's (math.Pow special cases, Log2, asinh, number text). */
final class GoMath {

    private static final double LN2 = 6.93147180559945286227e-01;
    private static final double INV_LN2 = 1.4426950408889634073599246810018921374266459541529859;
    private static final double INV_LN10 = 0.4342944819032518276511289189166050822943970058036665;
    private static final double NEAR_ZERO = 1.0 / (1 << 28);
    private static final double LARGE = 1 << 28;

    private GoMath() {
    }

    /** Go's math.Pow: unlike Java, pow(x, ±0) = 1 for any x, pow(1, y) = 1 for any y, pow(-1, ±Inf) = 1. */
    static double pow(double x, double y) {
        if (y == 0 || x == 1) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    /** Go's math.Mod (truncated, sign of x); Java's % has the same special cases. */
    static double mod(double x, double y) {
        return x % y;
    }

    static double log2(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            return Math.log(x);
        }
        int exp = Math.getExponent(x);
        if (exp >= Double.MIN_EXPONENT) {
            double frac = x / Math.scalb(1.0, exp + 1); // in [0.5, 1)
            if (frac == 0.5) {
                return exp;
            }
            return Math.log(frac) * INV_LN2 + (exp + 1);
        }
        return Math.log(x) * INV_LN2;
    }

    static double log10(double x) {
        return Math.log(x) * INV_LN10;
    }

    static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        boolean negative = x < 0;
        if (negative) {
            x = -x;
        }
        double t;
        if (x > LARGE) {
            t = Math.log(x) + LN2;
        } else if (x > 2) {
            t = Math.log(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
        } else if (x < NEAR_ZERO) {
            t = x;
        } else {
            t = Math.log1p(x + x * x / (1 + Math.sqrt(1 + x * x)));
        }
        return negative ? -t : t;
    }

    static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return 0;
        }
        if (x >= LARGE) {
            return Math.log(x) + LN2;
        }
        if (x > 2) {
            return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
        }
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (x == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        boolean negative = x < 0;
        if (negative) {
            x = -x;
        }
        double t;
        if (x < NEAR_ZERO) {
            t = x;
        } else if (x < 0.5) {
            t = x + x;
            t = 0.5 * Math.log1p(t + t * x / (1 - x));
        } else {
            t = 0.5 * Math.log1p((x + x) / (1 - x));
        }
        return negative ? -t : t;
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent ("0.001", "1e+21" → digits). */
    static String formatPlain(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** Go's %v of a float64 (strconv 'g' with the shortest digits: an exponent below 1e-4 and from 1e6). */
    static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String digits = d.unscaledValue().abs().toString();
            StringBuilder b = new StringBuilder();
            if (v < 0) {
                b.append('-');
            }
            b.append(digits.charAt(0));
            if (digits.length() > 1) {
                b.append('.').append(digits, 1, digits.length());
            }
            b.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                b.append('0');
            }
            return b.append(a).toString();
        }
        return d.toPlainString();
    }

    /**
     * Go's strconv.ParseFloat(s, 64) for the text of an {@code le} label: decimal and hex floats, "Inf"/"+Inf"/
     * "-Inf"/"Infinity"/"NaN" in any case; no surrounding spaces, no Java suffixes.
     *
     * @return the value, or null when Go would fail
     */
    static Double parseFloat(String s) {
        if (s.isEmpty()) {
            return null;
        }
        String body = s;
        boolean negative = false;
        if (body.charAt(0) == '+' || body.charAt(0) == '-') {
            negative = body.charAt(0) == '-';
            body = body.substring(1);
        }
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
                    || c == '_' || c == 'x' || c == 'X' || c == 'p' || c == 'P'
                    || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        if (body.indexOf('_') >= 0) {
            if (!(lower.startsWith("0x") || lower.startsWith("0b") || lower.startsWith("0o"))) {
                return null;
            }
            body = body.replace("_", "");
        }
        try {
            double v;
            if (lower.startsWith("0x")) {
                v = Double.parseDouble(lower.contains("p") ? "0x" + body.substring(2) : "0x" + body.substring(2) + "p0");
            } else {
                if (lower.indexOf('x') >= 0 || lower.indexOf('p') >= 0 || lower.matches(".*[a-d].*|.*f.*")) {
                    return null;
                }
                v = Double.parseDouble(body);
            }
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
