package io.tidemark.promql.eval;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;

/** Go's regexp.Expand for label_replace()'s replacement: {@code $1}, {@code ${1}}, {@code $name}, {@code $$}. */
final class GoExpand {

    private GoExpand() {
    }

    /** The capture group index of each {@code (?P<name>...)} group of a Go regular expression. */
    static Map<String, Integer> groupNames(String goRegex) {
        Map<String, Integer> names = new HashMap<>();
        int group = 0;
        boolean inClass = false;
        for (int i = 0; i < goRegex.length(); i++) {
            char c = goRegex.charAt(i);
            if (c == '\\') {
                if (goRegex.startsWith("Q", i + 1)) {
                    int end = goRegex.indexOf("\\E", i + 2);
                    i = end < 0 ? goRegex.length() : end + 1;
                } else {
                    i++;
                }
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '[' && goRegex.startsWith("[:", i)) {
                    int end = goRegex.indexOf(":]", i + 2);
                    if (end > 0) {
                        i = end + 1;
                    }
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                if (goRegex.startsWith("^", i + 1)) {
                    i++;
                }
                if (goRegex.startsWith("]", i + 1)) {
                    i++;
                }
                continue;
            }
            if (c == '(') {
                if (goRegex.startsWith("(?P<", i)) {
                    group++;
                    int end = goRegex.indexOf('>', i + 4);
                    if (end > 0) {
                        names.putIfAbsent(goRegex.substring(i + 4, end), group);
                    }
                } else if (!goRegex.startsWith("(?", i)) {
                    group++;
                }
            }
        }
        return names;
    }

    static String expand(String template, Matcher m, Map<String, Integer> groupNames) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = template.length();
        while (i < n) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                break;
            }
            out.append(template, i, dollar);
            i = dollar + 1;
            if (i < n && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            boolean brace = i < n && template.charAt(i) == '{';
            int j = brace ? i + 1 : i;
            int nameStart = j;
            while (j < n) {
                int cp = template.codePointAt(j);
                if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                    break;
                }
                j += Character.charCount(cp);
            }
            if (j == nameStart || (brace && (j >= n || template.charAt(j) != '}'))) {
                out.append('$'); // malformed: the $ is literal text
                continue;
            }
            String name = template.substring(nameStart, j);
            i = brace ? j + 1 : j;
            int num = 0;
            for (int k = 0; k < name.length(); k++) {
                char c = name.charAt(k);
                if (c < '0' || c > '9' || num >= 100_000_000) {
                    num = -1;
                    break;
                }
                num = num * 10 + (c - '0');
            }
            if (name.charAt(0) == '0' && name.length() > 1) {
                num = -1;
            }
            int group = num >= 0 ? num : groupNames.getOrDefault(name, -1);
            if (group >= 0 && group <= m.groupCount() && m.group(group) != null) {
                out.append(m.group(group));
            }
        }
        out.append(template, Math.min(i, n), n);
        return out.toString();
    }
}
