package io.tidemark.alerting.api;

import io.smallrye.mutiny.Uni;
import io.tidemark.alerting.AlertingRequestException;
import io.tidemark.alerting.AlertingService;
import io.tidemark.alerting.route.Matchers;
import io.tidemark.alerting.rules.AnomalyForm;
import io.tidemark.alerting.state.AlertState;
import io.tidemark.alerting.state.HistoryEntry;
import io.tidemark.promql.LabelMatcher;
import io.tidemark.promql.MatchType;
import io.tidemark.tenant.Tenants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tidemark's alerting management over HTTP (docs/alerting.md): rule files (YAML), the anomaly form, rule groups,
 * the routing configuration, silences, acknowledgements and history. Responses use Prometheus' envelope.
 */
@Path("/api/v1/alerting")
@Produces(MediaType.APPLICATION_JSON)
public class AlertingResource {

    private final AlertingService alerting;

    public AlertingResource(AlertingService alerting) {
        this.alerting = alerting;
    }

    /** A Prometheus rule file, unchanged, as the body (any content type). */
    @POST
    @Path("/rules")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> putRules(@HeaderParam(Tenants.HEADER) String tenant, String yaml) {
        return AlertingJson.guarded(() -> alerting.putRuleFile(Tenants.resolve(tenant), yaml).map(groups -> {
            JsonArray out = new JsonArray();
            groups.forEach(g -> out.add(AlertingJson.group(g)));
            return AlertingJson.success(new JsonObject().put("groups", out));
        }));
    }

    @POST
    @Path("/threshold")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> putThreshold(@HeaderParam(Tenants.HEADER) String tenant, String body) {
        return new PromAlertsResource(alerting).createThreshold(tenant, body);
    }

    @POST
    @Path("/anomaly")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> putAnomaly(@HeaderParam(Tenants.HEADER) String tenantHeader, String text) {
        return AlertingJson.guarded(() -> {
            String tenant = Tenants.resolve(tenantHeader);
            JsonObject b = AlertingJson.body(text);
            AnomalyForm form = new AnomalyForm(AlertingJson.string(b, "name"), AlertingJson.string(b, "metric"),
                    AlertingJson.string(b, "aggregation"), AlertingJson.strings(b.getJsonObject("tags"), "tags"),
                    AlertingJson.string(b, "direction"), AlertingJson.number(b, "k"), AlertingJson.string(b, "baseline"),
                    AlertingJson.string(b, "duration"), AlertingJson.stringList(b, "channels"),
                    AlertingJson.stringList(b, "group_by"), AlertingJson.strings(b.getJsonObject("labels"), "labels"),
                    AlertingJson.strings(b.getJsonObject("annotations"), "annotations"));
            return alerting.putAnomaly(tenant, form, AlertingJson.string(b, "group"), AlertingJson.string(b, "interval"))
                    .map(e -> AlertingJson.success(new JsonObject().put("group", AlertingJson.group(e.getKey()))
                            .put("rule", AlertingJson.rule(e.getValue()))));
        });
    }

    @GET
    @Path("/groups")
    public Uni<Response> groups(@HeaderParam(Tenants.HEADER) String tenant) {
        return AlertingJson.guarded(() -> alerting.groups(Tenants.resolve(tenant)).map(groups -> {
            JsonArray out = new JsonArray();
            groups.forEach(g -> out.add(AlertingJson.group(g.group())));
            return AlertingJson.success(new JsonObject().put("groups", out));
        }));
    }

    @GET
    @Path("/groups/{name}")
    public Uni<Response> group(@HeaderParam(Tenants.HEADER) String tenant, @PathParam("name") String name) {
        return AlertingJson.guarded(() -> alerting.group(Tenants.resolve(tenant), name)
                .map(g -> AlertingJson.success(AlertingJson.group(g))));
    }

    @DELETE
    @Path("/groups/{name}")
    public Uni<Response> deleteGroup(@HeaderParam(Tenants.HEADER) String tenant, @PathParam("name") String name) {
        return AlertingJson.guarded(() -> alerting.deleteGroup(Tenants.resolve(tenant), name).map(deleted -> {
            if (!deleted) {
                throw AlertingRequestException.notFound("name", "no rule group \"" + name + "\"");
            }
            return AlertingJson.success(new JsonObject().put("deleted", name));
        }));
    }

    @PUT
    @Path("/config")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> putConfig(@HeaderParam(Tenants.HEADER) String tenant, String yaml) {
        return AlertingJson.guarded(() -> alerting.putRoutingConfig(Tenants.resolve(tenant), yaml)
                .map(receivers -> AlertingJson.success(new JsonObject().put("receivers", new JsonArray(receivers)))));
    }

    @GET
    @Path("/config")
    public Uni<Response> config(@HeaderParam(Tenants.HEADER) String tenant) {
        return AlertingJson.guarded(() -> alerting.routingConfig(Tenants.resolve(tenant))
                .map(yaml -> AlertingJson.success(new JsonObject().put("yaml", yaml.orElse("")))));
    }

    @GET
    @Path("/silences")
    public Uni<Response> silences(@HeaderParam(Tenants.HEADER) String tenant) {
        return AlertingJson.guarded(() -> {
            long now = alerting.nowMs();
            return alerting.silences(Tenants.resolve(tenant)).map(list -> {
                JsonArray out = new JsonArray();
                list.forEach(s -> out.add(AlertingJson.silence(s, now)));
                return AlertingJson.success(out);
            });
        });
    }

    /**
     * Body: {@code {"matchers": [{"name", "value", "isRegex", "isEqual"}] or ["host=\"a\""], "startsAt", "endsAt",
     * "createdBy", "comment"}} (times RFC 3339 or Unix seconds; startsAt defaults to now).
     */
    @POST
    @Path("/silences")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> createSilence(@HeaderParam(Tenants.HEADER) String tenantHeader, String text) {
        return AlertingJson.guarded(() -> {
            String tenant = Tenants.resolve(tenantHeader);
            JsonObject b = AlertingJson.body(text);
            List<LabelMatcher> matchers = new ArrayList<>();
            JsonArray array = b.getValue("matchers") instanceof JsonArray a ? a : new JsonArray();
            for (int i = 0; i < array.size(); i++) {
                matchers.add(matcher(array.getValue(i), "matchers[" + i + "]"));
            }
            long start = AlertingJson.time(AlertingJson.string(b, "startsAt"), "startsAt");
            long end = AlertingJson.time(AlertingJson.string(b, "endsAt"), "endsAt");
            return alerting.createSilence(tenant, matchers, start, end, AlertingJson.string(b, "createdBy"),
                    AlertingJson.string(b, "comment")).map(s -> AlertingJson.success(
                            AlertingJson.silence(s, alerting.nowMs()).put("silenceID", s.id())));
        });
    }

    @DELETE
    @Path("/silences/{id}")
    public Uni<Response> expireSilence(@HeaderParam(Tenants.HEADER) String tenant, @PathParam("id") String id) {
        return AlertingJson.guarded(() -> alerting.expireSilence(Tenants.resolve(tenant), id)
                .map(s -> AlertingJson.success(AlertingJson.silence(s, alerting.nowMs()))));
    }

    /** Alerts with fingerprints and acknowledgements (GET /api/v1/alerts has Prometheus' shape without them). */
    @GET
    @Path("/alerts")
    public Uni<Response> alerts(@HeaderParam(Tenants.HEADER) String tenant) {
        return AlertingJson.guarded(() -> alerting.alerts(Tenants.resolve(tenant)).map(list -> {
            JsonArray out = new JsonArray();
            for (AlertingService.AlertView v : list) {
                var a = v.stored().alert();
                JsonObject o = PromAlertsResource.alert(a).put("fingerprint", a.fingerprint())
                        .put("ruleGroup", v.stored().ruleGroup()).put("rule", v.stored().rule());
                if (a.firedAtMs() > 0) {
                    o.put("firedAt", Instant.ofEpochMilli(a.firedAtMs()).toString());
                }
                if (a.resolvedAtMs() > 0) {
                    o.put("resolvedAt", Instant.ofEpochMilli(a.resolvedAtMs()).toString());
                }
                if (v.ack() != null) {
                    o.put("acknowledgedBy", v.ack().by()).put("acknowledgedAt",
                            Instant.ofEpochMilli(v.ack().atMs()).toString());
                }
                out.add(o);
            }
            return AlertingJson.success(new JsonObject().put("alerts", out));
        }));
    }

    /** Body {@code {"by": "alice@example.com", "comment": "..."}}. */
    @POST
    @Path("/alerts/{fingerprint}/ack")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> acknowledge(@HeaderParam(Tenants.HEADER) String tenant,
            @PathParam("fingerprint") String fingerprint, String text) {
        return AlertingJson.guarded(() -> {
            JsonObject b = AlertingJson.body(text);
            return alerting.acknowledge(Tenants.resolve(tenant), fingerprint, AlertingJson.string(b, "by"),
                    AlertingJson.string(b, "comment")).map(v -> AlertingJson.success(new JsonObject()
                            .put("fingerprint", fingerprint).put("acknowledgedBy", v.ack().by())
                            .put("acknowledgedAt", Instant.ofEpochMilli(v.ack().atMs()).toString())));
        });
    }

    @GET
    @Path("/history")
    public Uni<Response> history(@HeaderParam(Tenants.HEADER) String tenant, @QueryParam("rule") String rule,
            @QueryParam("state") String state, @QueryParam("start") String start, @QueryParam("end") String end,
            @QueryParam("limit") String limit) {
        return AlertingJson.guarded(() -> {
            AlertState s = null;
            if (state != null && !state.isEmpty()) {
                try {
                    s = AlertState.parse(state);
                } catch (IllegalArgumentException e) {
                    throw AlertingRequestException.invalid("state", "unknown state \"" + state
                            + "\": use inactive, pending, firing or resolved");
                }
            }
            int max;
            try {
                max = limit == null || limit.isEmpty() ? 0 : Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw AlertingRequestException.invalid("limit", "not a number: " + limit);
            }
            return alerting.history(Tenants.resolve(tenant), rule, s, AlertingJson.time(start, "start"),
                    AlertingJson.time(end, "end"), max).map(entries -> {
                        JsonArray out = new JsonArray();
                        for (HistoryEntry h : entries) {
                            out.add(new JsonObject().put("fingerprint", h.fingerprint()).put("ruleGroup", h.ruleGroup())
                                    .put("rule", h.rule()).put("labels", AlertingJson.map(h.labels()))
                                    .put("state", h.state().label()).put("value", AlertingJson.goFloat(h.value()))
                                    .put("at", Instant.ofEpochMilli(h.atMs()).toString()));
                        }
                        return AlertingJson.success(out);
                    });
        });
    }

    private static LabelMatcher matcher(Object value, String field) {
        try {
            if (value instanceof String text) {
                return Matchers.parse(text);
            }
            if (value instanceof JsonObject o) {
                String name = o.getString("name");
                if (name == null || name.isEmpty()) {
                    throw AlertingRequestException.invalid(field + ".name", "must be set");
                }
                boolean regex = o.getBoolean("isRegex", false);
                boolean equal = o.getBoolean("isEqual", true);
                MatchType type = regex ? (equal ? MatchType.REGEX : MatchType.NOT_REGEX)
                        : (equal ? MatchType.EQUAL : MatchType.NOT_EQUAL);
                return LabelMatcher.of(type, name, o.getString("value", ""));
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw AlertingRequestException.invalid(field, e.getMessage());
        }
        throw AlertingRequestException.invalid(field, "expected a matcher object or a string like name=\"value\"");
    }
}
