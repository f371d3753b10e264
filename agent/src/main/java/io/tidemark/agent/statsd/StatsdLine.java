package io.tidemark.agent.statsd;

import java.util.Map;
import java.util.TreeMap;

/**
 * One parsed StatsD line, {@code name:value|type[|@rate][|#tag:value,...]} (DogStatsD tags). Names keep dots;
 * characters Tidemark does not allow in names or label names become {@code _}.
 */
public record StatsdLine(String name, Kind kind, double value, boolean relative, String setMember, double sampleRate,
        Map<String, String> tags) {

    public enum Kind { COUNTER, GAUGE, TIMER, SET }

    public static final class InvalidLineException extends Exception {
        public InvalidLineException(String line, String reason) {
            super("\"" + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "\": " + reason);
        }
    }

    public static StatsdLine parse(String line) throws InvalidLineException {
        int colon = line.indexOf(':');
        int pipe = line.indexOf('|');
        if (colon <= 0 || pipe < colon) {
            throw new InvalidLineException(line, "expected name:value|type");
        }
        String name = sanitizeName(line.substring(0, colon));
        String valueText = line.substring(colon + 1, pipe);
        String[] sections = line.substring(pipe + 1).split("\\|");
        Kind kind = switch (sections[0]) {
            case "c" -> Kind.COUNTER;
            case "g" -> Kind.GAUGE;
            case "ms", "h", "d" -> Kind.TIMER;
            case "s" -> Kind.SET;
            default -> throw new InvalidLineException(line, "unknown type \"" + sections[0] + "\" (c, g, ms, h, d, s)");
        };
        double rate = 1;
        Map<String, String> tags = new TreeMap<>();
        for (int i = 1; i < sections.length; i++) {
            String section = sections[i];
            if (section.startsWith("@")) {
                try {
                    rate = Double.parseDouble(section.substring(1));
                } catch (NumberFormatException e) {
                    throw new InvalidLineException(line, "invalid sample rate \"" + section + "\"");
                }
                if (!(rate > 0 && rate <= 1)) {
                    throw new InvalidLineException(line, "sample rate " + rate + " is not in (0, 1]");
                }
            } else if (section.startsWith("#")) {
                for (String tag : section.substring(1).split(",")) {
                    if (tag.isEmpty()) {
                        continue;
                    }
                    int sep = tag.indexOf(':');
                    String key = sanitizeLabel(sep < 0 ? tag : tag.substring(0, sep));
                    tags.put(key, sep < 0 ? "true" : tag.substring(sep + 1));
                }
            } // other DogStatsD sections (c: container id, T timestamp) are ignored
        }
        if (kind == Kind.SET) {
            return new StatsdLine(name, kind, 0, false, valueText, rate, tags);
        }
        boolean relative = kind == Kind.GAUGE && (valueText.startsWith("+") || valueText.startsWith("-"));
        double value;
        try {
            value = Double.parseDouble(valueText);
        } catch (NumberFormatException e) {
            throw new InvalidLineException(line, "invalid value \"" + valueText + "\"");
        }
        if (!Double.isFinite(value)) {
            throw new InvalidLineException(line, "value must be finite");
        }
        return new StatsdLine(name, kind, value, relative, null, rate, tags);
    }

    static String sanitizeName(String raw) {
        StringBuilder out = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c == '.'
                    || (c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        if (out.length() == 0 || Character.isDigit(out.charAt(0)) || out.charAt(0) == '.') {
            out.insert(0, '_');
        }
        return out.toString();
    }

    static String sanitizeLabel(String raw) {
        StringBuilder out = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.'
                    || (c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        if (out.length() == 0 || Character.isDigit(out.charAt(0)) || out.charAt(0) == '.') {
            out.insert(0, '_');
        }
        return out.toString();
    }
}
