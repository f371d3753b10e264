package io.tidemark.alerting.api;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.AlertingService;
import io.tidemark.alerting.rules.ThresholdForm;
import io.tidemark.alerting.state.ActiveAlert;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.tenant.Tenants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * {@code GET /api/v1/alerts}: pending and firing alerts in Prometheus' format. {@code POST /api/v1/alerts} takes the
 * threshold form of seed 003 (name, metric, aggregation, tags, condition, threshold, duration, channels) and answers
 * with the stored rule and its compiled PromQL.
 */
@Path("/api/v1/alerts")
public class PromAlertsResource {

    private final AlertingService alerting;

    public PromAlertsResource(AlertingService alerting) {
        this.alerting = alerting;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> alerts(@HeaderParam(Tenants.HEADER) String tenantHeader) {
        return AlertingJson.guarded(() -> alerting.alerts(Tenants.resolve(tenantHeader)).map(list -> {
            JsonArray out = new JsonArray();
            for (AlertingService.AlertView v : list) {
                ActiveAlert a = v.stored().alert();
                if (a.state() == AlertState.FIRING || a.state() == AlertState.PENDING) {
                    out.add(alert(a));
                }
            }
            return AlertingJson.success(new JsonObject().put("alerts", out));
        }));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> createThreshold(@HeaderParam(Tenants.HEADER) String tenantHeader, String text) {
        return AlertingJson.guarded(() -> {
            String tenant = Tenants.resolve(tenantHeader);
            JsonObject b = AlertingJson.body(text);
            ThresholdForm form = new ThresholdForm(AlertingJson.string(b, "name"), AlertingJson.string(b, "metric"),
                    AlertingJson.string(b, "aggregation"), AlertingJson.strings(b.getJsonObject("tags"), "tags"),
                    AlertingJson.string(b, "condition"), AlertingJson.number(b, "threshold"),
                    AlertingJson.string(b, "duration"), AlertingJson.stringList(b, "channels"),
                    AlertingJson.string(b, "window"), AlertingJson.stringList(b, "group_by"),
                    AlertingJson.strings(b.getJsonObject("labels"), "labels"),
                    AlertingJson.strings(b.getJsonObject("annotations"), "annotations"));
            return alerting.putThreshold(tenant, form, AlertingJson.string(b, "group"), AlertingJson.string(b, "interval"))
                    .map(e -> AlertingJson.success(new JsonObject().put("group", AlertingJson.group(e.getKey()))
                            .put("rule", AlertingJson.rule(e.getValue()))));
        });
    }

    static JsonObject alert(ActiveAlert a) {
        return new JsonObject().put("labels", AlertingJson.map(a.labels()))
                .put("annotations", AlertingJson.map(a.annotations())).put("state", a.state().label())
                .put("activeAt", Instant.ofEpochMilli(a.activeAtMs()).toString())
                .put("value", AlertingJson.goFloat(a.value()));
    }
}
