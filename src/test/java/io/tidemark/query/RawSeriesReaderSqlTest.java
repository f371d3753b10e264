package io.tidemark.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which matchers PostgreSQL may narrow by: only those it reads exactly as Go does (or as a superset). */
class RawSeriesReaderSqlTest {

    private static String sql(MatchType type, String name, String value) {
        return RawSeriesReader.sqlCondition(LabelMatcher.of(type, name, value), new ArrayList<>());
    }

    @Test
    void plainRegexesGoToPostgresqlAnchored() {
        List<Object> params = new ArrayList<>();
        String condition = RawSeriesReader.sqlCondition(LabelMatcher.of(MatchType.REGEX, "job", "api|web.*"), params);
        assertEquals("coalesce(s.labels->>$1, '') ~ $2", condition);
        assertEquals(List.of("job", "^(?:api|web.*)$"), params);
    }

    @Test
    void regexesPostgresqlReadsOtherwiseStayInJava() {
        assertNull(sql(MatchType.REGEX, "method", "(?i)get"), "flag groups are refused by PostgreSQL mid-pattern");
        assertNull(sql(MatchType.REGEX, "host", "h\\d+"), "escapes differ between the dialects");
        assertNull(sql(MatchType.REGEX, "host", "[a-c]x"), "classes are left to Java");
        assertNull(sql(MatchType.NOT_REGEX, "job", "api"), "negations of a superset would drop series");
    }
}
