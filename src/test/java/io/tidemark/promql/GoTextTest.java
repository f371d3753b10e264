package io.tidemark.promql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GoTextTest {

    @Test
    void formatFloatLikeGoPercentV() {
        assertEquals("0", GoText.formatFloat(0));
        assertEquals("-0", GoText.formatFloat(-0.0));
        assertEquals("1", GoText.formatFloat(1));
        assertEquals("-2.5", GoText.formatFloat(-2.5));
        assertEquals("100000", GoText.formatFloat(100000));
        assertEquals("123456.7", GoText.formatFloat(123456.7));
        assertEquals("1e+06", GoText.formatFloat(1e6));
        assertEquals("1.234567e+06", GoText.formatFloat(1234567));
        assertEquals("0.0001", GoText.formatFloat(0.0001));
        assertEquals("1e-05", GoText.formatFloat(0.00001));
        assertEquals("1.7976931348623157e+308", GoText.formatFloat(Double.MAX_VALUE));
        assertEquals("5e-324", GoText.formatFloat(Double.MIN_VALUE));
        assertEquals("0.1", GoText.formatFloat(0.1));
        assertEquals("0.30000000000000004", GoText.formatFloat(0.1 + 0.2));
        assertEquals("2e+23", GoText.formatFloat(2e23));
        assertEquals("+Inf", GoText.formatFloat(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", GoText.formatFloat(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", GoText.formatFloat(Double.NaN));
    }

    @Test
    void quoteLikeStrconvQuote() {
        assertEquals("\"abc\"", GoText.quote("abc"));
        assertEquals("\"a\\\"b\\\\c'\"", GoText.quote("a\"b\\c'"));
        assertEquals("\"\\a\\b\\f\\n\\r\\t\\v\\x00\\x1f\\x7f\"", GoText.quote("\u0007\b\f\n\r\t\u000b\u0000\u001f\u007f"));
        assertEquals("\"é☺😀\"", GoText.quote("é☺😀"));
        assertEquals("\"\\u00a0\\u200b\\U000e0001\"", GoText.quote("\u00a0\u200b\uDB40\uDC01"));
        assertEquals("'x'", GoText.quoteRune('x'));
        assertEquals("'\\''", GoText.quoteRune('\''));
        assertEquals("'\"'", GoText.quoteRune('"'));
        assertEquals("'\\n'", GoText.quoteRune('\n'));
        assertEquals("'\uFFFD'", GoText.quoteRune(-1));
        assertEquals("U+0063 'c'", GoText.unicodeNotation('c'));
        assertEquals("U+000A", GoText.unicodeNotation('\n'));
        assertEquals("\"0123456789\"...", GoText.quoteTruncated("0123456789abc"));
    }

    @Test
    void formatFixed() {
        assertEquals("10.000", GoText.formatFixed(10, 3));
        assertEquals("-1.235", GoText.formatFixed(-1.235, 3));
        assertEquals("9223372036854775808.000000", GoText.formatFixed(0x1p63, 6));
        assertEquals("+Inf", GoText.formatFixed(Double.POSITIVE_INFINITY, 6));
    }

    @Test
    void durations() {
        assertEquals(5 * 60_000, Durations.parse("5m"));
        assertEquals(5_400_000, Durations.parse("1h30m"));
        assertEquals(100, Durations.parse("100ms"));
        assertEquals(365L * 86_400_000, Durations.parse("1y"));
        assertEquals(0, Durations.parse("0"));
        assertEquals("not a valid duration string: \"1m1h\"",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("1m1h")).getMessage());
        assertEquals("duration out of range",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("293y")).getMessage());
        assertEquals(292L * 365 * 86_400_000, Durations.parse("292y"));
        assertEquals("0s", Durations.format(0));
        assertEquals("1h30m", Durations.format(5_400_000));
        assertEquals("90d", Durations.format(90L * 86_400_000));
        assertEquals("2w", Durations.format(14L * 86_400_000));
        assertEquals("1y", Durations.format(365L * 86_400_000));
        assertEquals("1d1ms", Durations.format(86_400_001));
    }
}
