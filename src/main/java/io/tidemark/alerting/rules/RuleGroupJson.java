package io.tidemark.alerting.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The stored form of a group's rules (the {@code definition} column). */
public final class RuleGroupJson {

    private RuleGroupJson() {
    }

    public static JsonObject encode(RuleGroup g) {
        JsonArray rules = new JsonArray();
        for (RuleSpec r : g.rules()) {
            rules.add(new JsonObject().put("alert", r.alert()).put("record", r.record()).put("expr", r.expr())
                    .put("for_ms", r.forMs()).put("keep_firing_for_ms", r.keepFiringForMs())
                    .put("labels", new JsonObject(new HashMap<>(r.labels())))
                    .put("annotations", new JsonObject(new HashMap<>(r.annotations())))
                    .put("form", r.form().name()).put("channels", new JsonArray(new ArrayList<>(r.channels()))));
        }
        return new JsonObject().put("rules", rules);
    }

    public static RuleGroup decode(String name, long intervalMs, JsonObject json) {
        List<RuleSpec> rules = new ArrayList<>();
        JsonArray array = json.getJsonArray("rules");
        for (int i = 0; i < array.size(); i++) {
            JsonObject r = array.getJsonObject(i);
            List<String> channels = new ArrayList<>();
            r.getJsonArray("channels", new JsonArray()).forEach(c -> channels.add(String.valueOf(c)));
            rules.add(new RuleSpec(r.getString("alert"), r.getString("record"), r.getString("expr"),
                    r.getLong("for_ms", 0L), r.getLong("keep_firing_for_ms", 0L), strings(r.getJsonObject("labels")),
                    strings(r.getJsonObject("annotations")), RuleForm.valueOf(r.getString("form", "PROMQL")), channels));
        }
        return new RuleGroup(name, intervalMs, rules);
    }

    public static Map<String, String> strings(JsonObject o) {
        Map<String, String> out = new HashMap<>();
        if (o != null) {
            o.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return out;
    }
}
