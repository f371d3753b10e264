package io.tidemark.promql;

/**
 * A PromQL syntax or type error. The message reads like Prometheus':
 * {@code 1:5: parse error: unexpected <op:*>} — line and column are 1-based, as in Prometheus; {@link #position()}
 * is the 0-based char offset into the query. (Prometheus counts bytes of UTF-8; this counts Java chars, which only
 * differs after non-ASCII text.)
 */
public class PromQLParseException extends RuntimeException {

    private final int position;
    private final int line;
    private final int column;
    private final String detail;

    public PromQLParseException(String query, int position, String detail) {
        super(format(query, position, detail));
        this.position = position;
        this.detail = detail;
        int ln = 1;
        int lastBreak = -1;
        for (int i = 0; i < Math.min(position, query.length()); i++) {
            if (query.charAt(i) == '\n') {
                ln++;
                lastBreak = i;
            }
        }
        this.line = ln;
        this.column = position - lastBreak;
    }

    private static String format(String query, int pos, String detail) {
        if (pos < 0 || pos > query.length()) {
            return "invalid position: parse error: " + detail;
        }
        int ln = 1;
        int lastBreak = -1;
        for (int i = 0; i < pos; i++) {
            if (query.charAt(i) == '\n') {
                ln++;
                lastBreak = i;
            }
        }
        return ln + ":" + (pos - lastBreak) + ": parse error: " + detail;
    }

    /** The 0-based char offset where the error was found. */
    public int position() {
        return position;
    }

    /** The 1-based line. */
    public int line() {
        return line;
    }

    /** The 1-based column (chars since the last line break). */
    public int column() {
        return column;
    }

    /** The message without the {@code line:col: parse error: } prefix. */
    public String detail() {
        return detail;
    }
}
