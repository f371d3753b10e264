package io.tidemark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

    @Test
    void xxHash64MatchesTheReferenceVectors() {
        assertEquals(0xEF46DB3751D8E999L, hash(""));
        assertEquals(0xD24EC4F1A98C6E5BL, hash("a"));
        assertEquals(0x44BC2CF5AD770999L, hash("abc"));
        // longer than 32 bytes: exercises the four-lane loop
        assertEquals(hash("The quick brown fox jumps over the lazy dog"), hash("The quick brown fox jumps over the lazy dog"));
        assertNotEquals(hash("The quick brown fox jumps over the lazy dog"), hash("The quick brown fox jumps over the lazy cog"));
    }

    private static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return XxHash64.hash(b, b.length, 0);
    }

    @Test
    void identityDoesNotDependOnLabelOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("host", "h1");
        a.put("region", "eu");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("region", "eu");
        b.put("host", "h1");
        assertEquals(SeriesKey.of("default", "cpu", a).id(), SeriesKey.of("default", "cpu", b).id());
        assertEquals(SeriesKey.of("default", "cpu", a), SeriesKey.of("default", "cpu", b));
    }

    @Test
    void tenantNameAndLabelBoundariesAreUnambiguous() {
        long base = SeriesKey.of("default", "cpu", Map.of("host", "h1")).id();
        assertNotEquals(base, SeriesKey.of("other", "cpu", Map.of("host", "h1")).id());
        assertNotEquals(base, SeriesKey.of("default", "cpu", Map.of("hos", "th1")).id());
        assertNotEquals(SeriesKey.of("t", "ab", Map.of()).id(), SeriesKey.of("ta", "b", Map.of()).id());
        assertNotEquals(base, SeriesKey.of("default", "cpu", Map.of("host", "h1", "x", "")).id());
    }

    @Test
    void labelsJsonIsSortedAndEscaped() {
        SeriesKey key = SeriesKey.of("default", "m", Map.of("z", "1", "a", "quote\" back\\ nl\n ctl\u0001 é"));
        assertEquals("{\"a\":\"quote\\\" back\\\\ nl\\n ctl\\u0001 é\",\"z\":\"1\"}", key.labelsJson());
        assertEquals("m{a=\"quote\" back\\ nl\n ctl\u0001 é\",z=\"1\"}", key.toString());
    }

    @Test
    void checkHashIsIndependentOfTheId() {
        SeriesKey key = SeriesKey.of("default", "cpu", Map.of("host", "h1"));
        assertNotEquals(key.id(), key.checkHash());
    }
}
