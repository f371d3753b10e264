package io.tidemark.alerting.api;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.AlertingService;
import io.tidemark.alerting.rules.RuleSpec;
import io.tidemark.alerting.state.ActiveAlert;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.GroupEvaluation;
import io.tidemark.alerting.state.StoredAlert;
import io.tidemark.tenant.Tenants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/rules} in Prometheus' format, so Grafana lists the rules with their state and health. */
@Path("/api/v1/rules")
public class PromRulesResource {

    private final AlertingService alerting;

    public PromRulesResource(AlertingService alerting) {
        this.alerting = alerting;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> rules(@HeaderParam(Tenants.HEADER) String tenantHeader, @QueryParam("type") String type) {
        return AlertingJson.guarded(() -> {
            String tenant = Tenants.resolve(tenantHeader);
            if (type != null && !type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
                throw new IllegalArgumentException("unsupported type \"" + type + "\": use alert or record");
            }
            return alerting.groups(tenant).chain(groups -> alerting.alerts(tenant).map(alerts -> {
                Map<String, List<ActiveAlert>> byRule = new HashMap<>();
                for (AlertingService.AlertView v : alerts) {
                    StoredAlert s = v.stored();
                    byRule.computeIfAbsent(s.ruleGroup() + "\u0000" + s.rule(), k -> new ArrayList<>()).add(s.alert());
                }
                JsonArray out = new JsonArray();
                for (AlertingService.GroupView g : groups) {
                    GroupEvaluation eval = g.evaluation();
                    JsonArray rules = new JsonArray();
                    for (RuleSpec r : g.group().rules()) {
                        if ("alert".equals(type) && !r.isAlerting() || "record".equals(type) && r.isAlerting()) {
                            continue;
                        }
                        rules.add(rule(r, eval, byRule.getOrDefault(g.group().name() + "\u0000" + r.name(), List.of())));
                    }
                    out.add(new JsonObject().put("name", g.group().name()).put("file", "tidemark")
                            .put("rules", rules).put("interval", g.group().intervalMs() / 1000.0).put("limit", 0)
                            .put("evaluationTime", eval == null ? 0 : eval.durationSeconds())
                            .put("lastEvaluation", eval == null ? AlertingJson.ZERO_TIME
                                    : Instant.ofEpochMilli(eval.atMs()).toString()));
                }
                return AlertingJson.success(new JsonObject().put("groups", out));
            }));
        });
    }

    private static JsonObject rule(RuleSpec r, GroupEvaluation eval, List<ActiveAlert> alerts) {
        GroupEvaluation.RuleHealth health = eval == null ? null : eval.rules().get(r.name());
        JsonObject o = new JsonObject().put("name", r.name()).put("query", r.expr())
                .put("labels", AlertingJson.map(r.labels()))
                .put("health", health == null ? "unknown" : health.health())
                .put("lastError", health == null ? "" : health.lastError())
                .put("evaluationTime", health == null ? 0 : health.durationSeconds())
                .put("lastEvaluation", eval == null ? AlertingJson.ZERO_TIME : Instant.ofEpochMilli(eval.atMs()).toString());
        if (!r.isAlerting()) {
            return o.put("type", "recording");
        }
        JsonArray active = new JsonArray();
        String state = "inactive";
        for (ActiveAlert a : alerts) {
            if (a.state() == AlertState.FIRING) {
                state = "firing";
            } else if (a.state() == AlertState.PENDING && !state.equals("firing")) {
                state = "pending";
            }
            if (a.state() == AlertState.FIRING || a.state() == AlertState.PENDING) {
                active.add(PromAlertsResource.alert(a));
            }
        }
        return o.put("state", state).put("duration", r.forMs() / 1000.0).put("keepFiringFor", r.keepFiringForMs() / 1000.0)
                .put("annotations", AlertingJson.map(r.annotations())).put("alerts", active).put("type", "alerting");
    }
}
