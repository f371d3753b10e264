package io.tidemark.promql;

/**
 * The {@code @} modifier: a fixed timestamp ({@code @ 1609746000}, kept in milliseconds like Prometheus'
 * {@code timestamp.FromFloatSeconds}) or {@code @ start()} / {@code @ end()}, which the evaluator resolves to the
 * query's start or end.
 */
public record AtModifier(Kind kind, long timestampMillis) {

    public enum Kind { TIMESTAMP, START, END }

    public static AtModifier timestamp(long millis) {
        return new AtModifier(Kind.TIMESTAMP, millis);
    }

    public static AtModifier start() {
        return new AtModifier(Kind.START, 0);
    }

    public static AtModifier end() {
        return new AtModifier(Kind.END, 0);
    }
}
