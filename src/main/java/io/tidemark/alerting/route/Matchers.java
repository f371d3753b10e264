package io.tidemark.alerting.route;

import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Alertmanager matchers: {@code name="value"}, {@code name!="v"}, {@code name=~"re"}, {@code name!~"re"} (RE2, anchored). */
public final class Matchers {

    private static final Pattern MATCHER = Pattern.compile(
            "\\s*([a-zA-Z_][a-zA-Z0-9_.]*)\\s*(=~|!~|!=|=)\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s\"]*))\\s*");

    private Matchers() {
    }

    /** Parses one matcher; the exception names what is wrong. */
    public static LabelMatcher parse(String text) {
        Matcher m = MATCHER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad matcher \"" + text + "\": expected name=\"value\", name!=\"value\","
                    + " name=~\"regex\" or name!~\"regex\"");
        }
        MatchType type = switch (m.group(2)) {
            case "=" -> MatchType.EQUAL;
            case "!=" -> MatchType.NOT_EQUAL;
            case "=~" -> MatchType.REGEX;
            default -> MatchType.NOT_REGEX;
        };
        String value = m.group(4) != null ? m.group(4).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(5);
        return LabelMatcher.of(type, m.group(1), value);
    }

    public static List<LabelMatcher> parseAll(List<String> texts) {
        List<LabelMatcher> out = new ArrayList<>();
        for (String t : texts) {
            out.add(parse(t));
        }
        return out;
    }

    /** Whether every matcher matches the labels (a missing label is ""). */
    public static boolean matchAll(List<LabelMatcher> matchers, Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels.getOrDefault(m.name(), ""))) {
                return false;
            }
        }
        return true;
    }

    public static String format(LabelMatcher m) {
        return m.name() + m.type().symbol() + "\"" + m.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
