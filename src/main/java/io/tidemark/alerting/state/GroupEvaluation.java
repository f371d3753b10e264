package io.tidemark.alerting.state;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** When a group was last evaluated, how long it took, and each rule's health ("ok", "err") and last error. */
public record GroupEvaluation(long atMs, double durationSeconds, Map<String, RuleHealth> rules) {

    public record RuleHealth(String health, String lastError, double durationSeconds) {
    }

    public JsonObject healthJson() {
        JsonObject o = new JsonObject();
        rules.forEach((name, h) -> o.put(name, new JsonObject().put("health", h.health()).put("lastError", h.lastError())
                .put("evaluationTime", h.durationSeconds())));
        return o;
    }

    static GroupEvaluation fromJson(long atMs, double duration, JsonObject health) {
        Map<String, RuleHealth> rules = new HashMap<>();
        for (String name : health.fieldNames()) {
            JsonObject h = health.getJsonObject(name);
            rules.put(name, new RuleHealth(h.getString("health"), h.getString("lastError", ""),
                    h.getDouble("evaluationTime", 0.0)));
        }
        return new GroupEvaluation(atMs, duration, rules);
    }
}
