package io.tidemark.alerting.api;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.AlertingRequestException;
import io.tidemark.alerting.rules.RuleGroup;
import io.tidemark.alerting.rules.RuleSpec;
import io.tidemark.alerting.rules.RuleValidationException;
import io.tidemark.alerting.silence.Silence;
import io.tidemark.promql.Durations;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** JSON of the alerting HTTP API: Prometheus' envelope ({@code status}, {@code data} / {@code errorType}, {@code error}). */
final class AlertingJson {

    private static final Logger LOG = Logger.getLogger(AlertingJson.class);
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private AlertingJson() {
    }

    static Response success(Object data) {
        return Response.ok(new JsonObject().put("status", "success").put("data", data).encode(),
                MediaType.APPLICATION_JSON).build();
    }

    static Response error(int status, String type, String message, JsonObject extra) {
        JsonObject body = new JsonObject().put("status", "error").put("errorType", type).put("error", message);
        if (extra != null) {
            body.mergeIn(extra);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.encode()).build();
    }

    /** Runs the call; refusals become 400/404 envelopes naming line and field, storage failures 503. */
    static Uni<Response> guarded(Supplier<Uni<Response>> call) {
        Uni<Response> uni;
        try {
            uni = call.get();
        } catch (RuntimeException e) {
            uni = Uni.createFrom().failure(e);
        }
        return uni.onFailure().recoverWithItem(AlertingJson::failure);
    }

    static Response failure(Throwable f) {
        if (f instanceof RuleValidationException e) {
            return error(400, "bad_data", e.getMessage(), new JsonObject().put("line", e.line()).put("field", e.field()));
        }
        if (f instanceof AlertingRequestException e) {
            return e.kind() == AlertingRequestException.Kind.NOT_FOUND
                    ? error(404, "not_found", e.getMessage(), new JsonObject().put("field", e.field()))
                    : error(400, "bad_data", e.getMessage(), new JsonObject().put("field", e.field()));
        }
        if (f instanceof IllegalArgumentException e) {
            return error(400, "bad_data", e.getMessage(), null);
        }
        LOG.warnf("alerting request failed: %s", f.toString());
        return error(503, "unavailable", String.valueOf(f.getMessage()), null);
    }

    static JsonObject body(String text) {
        if (text == null || text.isBlank()) {
            throw AlertingRequestException.invalid("body", "a JSON object is required");
        }
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            throw AlertingRequestException.invalid("body", "not a JSON object: " + e.getMessage());
        }
    }

    static JsonObject rule(RuleSpec r) {
        JsonObject o = new JsonObject();
        if (r.isAlerting()) {
            o.put("alert", r.alert()).put("expr", r.expr()).put("for", Durations.format(r.forMs()))
                    .put("keep_firing_for", Durations.format(r.keepFiringForMs()));
        } else {
            o.put("record", r.record()).put("expr", r.expr());
        }
        return o.put("labels", map(r.labels())).put("annotations", map(r.annotations()))
                .put("form", r.form().name().toLowerCase(java.util.Locale.ROOT))
                .put("channels", new JsonArray(new ArrayList<>(r.channels())));
    }

    static JsonObject group(RuleGroup g) {
        JsonArray rules = new JsonArray();
        g.rules().forEach(r -> rules.add(rule(r)));
        return new JsonObject().put("name", g.name()).put("interval", Durations.format(g.intervalMs()))
                .put("rules", rules);
    }

    static JsonObject silence(Silence s, long now) {
        JsonArray matchers = new JsonArray();
        for (LabelMatcher m : s.matchers()) {
            matchers.add(new JsonObject().put("name", m.name()).put("value", m.value())
                    .put("isRegex", m.type() == MatchType.REGEX || m.type() == MatchType.NOT_REGEX)
                    .put("isEqual", m.type() == MatchType.EQUAL || m.type() == MatchType.REGEX));
        }
        return new JsonObject().put("id", s.id()).put("matchers", matchers)
                .put("startsAt", Instant.ofEpochMilli(s.startsAtMs()).toString())
                .put("endsAt", Instant.ofEpochMilli(s.endsAtMs()).toString()).put("createdBy", s.createdBy())
                .put("comment", s.comment()).put("status", new JsonObject().put("state", s.status(now)));
    }

    static JsonObject map(Map<String, String> m) {
        return new JsonObject(new java.util.LinkedHashMap<>(new TreeMap<>(m)));
    }

    static Map<String, String> strings(JsonObject o, String field) {
        Map<String, String> out = new HashMap<>();
        if (o == null) {
            return out;
        }
        for (String k : o.fieldNames()) {
            Object v = o.getValue(k);
            if (v instanceof JsonObject || v instanceof JsonArray) {
                throw AlertingRequestException.invalid(field + "." + k, "must be a string");
            }
            out.put(k, String.valueOf(v));
        }
        return out;
    }

    static List<String> stringList(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray array)) {
            throw AlertingRequestException.invalid(field, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(String.valueOf(array.getValue(i)));
        }
        return out;
    }

    static String string(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonObject || v instanceof JsonArray) {
            throw AlertingRequestException.invalid(field, "must be a string");
        }
        return String.valueOf(v);
    }

    static Double number(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw AlertingRequestException.invalid(field, "must be a number, got " + v);
        }
    }

    /** A time as Prometheus' API takes it: RFC 3339 or Unix seconds (fractions allowed); 0 when absent. */
    static long time(String value, String field) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.round(Double.parseDouble(value) * 1000);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (RuntimeException e2) {
                throw AlertingRequestException.invalid(field, "cannot parse \"" + value + "\" to a valid timestamp");
            }
        }
    }

    /** Go's strconv.FormatFloat(v, 'e', -1, 64), which Prometheus uses for alert values. */
    static String goFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
        if (v == 0) {
            return sign + "0e+00";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
        int abs = Math.abs(exp);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
    }
}
