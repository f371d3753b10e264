package io.tidemark.promql.diff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The suite's resource files: expressions, and the allow-list of known differences. */
public final class ExpressionSet {

    /** Separates Tidemark's form from Prometheus' on a line using syntax Prometheus 2.42 lacks. */
    static final String EQUIVALENT = " <=> ";
    /** Separates an allow-listed expression from the reason it differs. */
    static final String REASON = " ### ";

    /** One expression: the line as written (its identity), and the text each server is sent. */
    public record Expression(String line, String tidemark, String prometheus) {
    }

    private ExpressionSet() {
    }

    public static List<Expression> expressions(String resource) {
        List<Expression> expressions = new ArrayList<>();
        for (String line : lines(resource)) {
            int split = line.indexOf(EQUIVALENT);
            expressions.add(split < 0 ? new Expression(line, line, line)
                    : new Expression(line, line.substring(0, split).trim(),
                            line.substring(split + EQUIVALENT.length()).trim()));
        }
        return expressions;
    }

    /** Allow-listed expression lines with their reasons, in file order. */
    public static Map<String, String> allowList(String resource) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String line : lines(resource)) {
            int split = line.indexOf(REASON);
            if (split < 0 || line.substring(split + REASON.length()).isBlank()) {
                throw new IllegalArgumentException(resource + ": \"" + line + "\" has no reason (expression"
                        + REASON + "reason)");
            }
            reasons.put(line.substring(0, split).trim(), line.substring(split + REASON.length()).trim());
        }
        return reasons;
    }

    /** Non-blank lines that are not comments ({@code #} first). */
    private static List<String> lines(String resource) {
        try (InputStream in = ExpressionSet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
