package io.tidemark.query;

import io.tidemark.storage.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a tenant and a {@link Selector} into a WHERE clause over the {@code series} table, with its
 * parameters. Equality matchers become {@code labels @> {...}} so the GIN index answers them; regular
 * expressions are anchored to match the whole value.
 */
final class SeriesSelectSql {

    final String where;
    final List<Object> params;

    private SeriesSelectSql(String where, List<Object> params) {
        this.where = where;
        this.params = params;
    }

    static SeriesSelectSql of(String tenant, Selector selector, List<Object> initialParams) {
        List<Object> params = new ArrayList<>(initialParams);
        StringBuilder where = new StringBuilder("s.tenant = ").append(param(params, tenant));
        if (selector != null && !selector.metric().isEmpty()) {
            where.append(" AND s.name = ").append(param(params, selector.metric()));
        }
        if (selector != null) {
            for (Matcher m : selector.matchers()) {
                where.append(" AND ").append(condition(m, params));
            }
        }
        return new SeriesSelectSql(where.toString(), params);
    }

    private static String condition(Matcher m, List<Object> params) {
        String column = "__name__".equals(m.name()) ? "s.name" : "coalesce(s.labels->>" + param(params, m.name()) + ", '')";
        return switch (m.type()) {
            case EQUAL -> "__name__".equals(m.name()) ? column + " = " + param(params, m.value())
                    : m.value().isEmpty() ? "NOT s.labels ? " + param(params, m.name())
                            : "s.labels @> " + param(params, SeriesKey.of("", "", Map.of(m.name(), m.value())).labelsJson())
                                    + "::jsonb";
            case NOT_EQUAL -> column + " <> " + param(params, m.value());
            case REGEX -> column + " ~ " + param(params, "^(?:" + m.value() + ")$");
            case NOT_REGEX -> column + " !~ " + param(params, "^(?:" + m.value() + ")$");
        };
    }

    private static String param(List<Object> params, Object value) {
        params.add(value);
        return "$" + params.size();
    }
}
