package io.tidemark.promql.diff;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One way of asking for an expression: an instant query at {@code time}, or a range query over start/end/step; by
 * GET or by form POST (as Grafana does). The parameters are the strings sent, so both servers get exactly the same.
 */
public record QueryCall(boolean isRange, Map<String, String> timeParams, boolean post) {

    public QueryCall {
        timeParams = Map.copyOf(new LinkedHashMap<>(timeParams));
    }

    public static QueryCall instant(String time, boolean post) {
        return new QueryCall(false, Map.of("time", time), post);
    }

    public static QueryCall range(String start, String end, String step, boolean post) {
        return new QueryCall(true, Map.of("start", start, "end", end, "step", step), post);
    }

    /** Unix seconds with millisecond precision, as Grafana sends them. */
    public static String seconds(long epochMillis) {
        return BigDecimal.valueOf(epochMillis, 3).toPlainString();
    }

    /** RFC 3339, the API's other time format. */
    public static String rfc3339(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    @Override
    public String toString() {
        String method = post ? "POST" : "GET";
        return isRange
                ? method + " query_range start=" + timeParams.get("start") + " end=" + timeParams.get("end") + " step="
                        + timeParams.get("step")
                : method + " query time=" + timeParams.get("time");
    }
}
