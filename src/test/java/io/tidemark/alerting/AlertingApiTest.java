package io.tidemark.alerting;

import static io.restassured.RestAssured.given;
import static io.tidemark.alerting.ScriptedRuleQuerier.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.alerting.eval.RuleEvaluator;
import io.tidemark.proto.v1.AcknowledgeAlertRequest;
import io.tidemark.proto.v1.AlertHistoryRequest;
import io.tidemark.proto.v1.AlertServiceGrpc;
import io.tidemark.proto.v1.AlertState;
import io.tidemark.proto.v1.CreateSilenceRequest;
import io.tidemark.proto.v1.DeleteRuleGroupRequest;
import io.tidemark.proto.v1.Direction;
import io.tidemark.proto.v1.ExpireSilenceRequest;
import io.tidemark.proto.v1.GetRoutingConfigRequest;
import io.tidemark.proto.v1.GetRuleGroupRequest;
import io.tidemark.proto.v1.ListAlertsRequest;
import io.tidemark.proto.v1.ListRuleGroupsRequest;
import io.tidemark.proto.v1.ListSilencesRequest;
import io.tidemark.proto.v1.Matcher;
import io.tidemark.proto.v1.PutAnomalyRuleRequest;
import io.tidemark.proto.v1.PutRoutingConfigRequest;
import io.tidemark.proto.v1.PutRuleFileRequest;
import io.tidemark.proto.v1.PutThresholdRuleRequest;
import io.tidemark.proto.v1.PutThresholdRuleResponse;
import io.tidemark.proto.v1.RuleForm;
import io.tidemark.proto.v1.Silence;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AlertService over real gRPC and the HTTP API (Prometheus' /api/v1/rules and /api/v1/alerts) end to end. */
@QuarkusTest
@TestProfile(AlertingTestProfile.class)
@QuarkusTestResource(TidemarkTestResource.class)
class AlertingApiTest {

    static final String TENANT = "alerting-api";
    static GrpcTestClient client;
    static AlertServiceGrpc.AlertServiceBlockingStub grpc;

    @Inject RuleEvaluator evaluator;
    @Inject ScriptedRuleQuerier querier;
    @Inject AlertingClock clock;

    static final String FILE = """
            groups:
              - name: api
                interval: 15s
                rules:
                  - alert: HighCPU
                    expr: cpu_usage > 90
                    for: 0s
                    labels: {severity: page}
                    annotations: {summary: "CPU on {{ $labels.host }} is {{ $value }}"}
                  - record: job:cpu:avg
                    expr: avg by (job) (cpu_usage)
            """;

    @BeforeAll
    static void connect() {
        client = new GrpcTestClient();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), TENANT);
        grpc = AlertServiceGrpc.newBlockingStub(client.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    @BeforeEach
    void clean() {
        for (String table : List.of("alert_rule_groups", "alert_instances", "alert_history", "alert_group_evaluations",
                "alert_routing_configs", "alert_silences", "alert_acks", "alert_notification_groups", "alert_outbox",
                "alert_leases")) {
            Db.execute("DELETE FROM " + table);
        }
        evaluator.reset();
        querier.clear();
        clock.use(Clock.systemUTC());
    }

    private static AlertServiceGrpc.AlertServiceBlockingStub stub() {
        return grpc.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Test
    void ruleFileOverHttpThenPrometheusRulesAndAlertsAfterAnEvaluation() {
        given().header("x-tidemark-tenant", TENANT).contentType("application/yaml")
                .body(FILE.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/alerting/rules").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("success"))
                .body("data.groups[0].name", org.hamcrest.Matchers.equalTo("api"))
                .body("data.groups[0].rules[1].record", org.hamcrest.Matchers.equalTo("job:cpu:avg"));

        JsonPath before = given().header("x-tidemark-tenant", TENANT).get("/api/v1/rules").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("unknown", before.getString("data.groups[0].rules[0].health"));
        assertEquals("inactive", before.getString("data.groups[0].rules[0].state"));
        assertEquals(15.0f, before.getFloat("data.groups[0].interval"));

        querier.answer("cpu_usage > 90", List.of(sample(95, "__name__", "cpu_usage", "host", "web-1")));
        querier.answer("avg by (job) (cpu_usage)", List.of());
        assertTrue(evaluator.tick().await().atMost(Duration.ofSeconds(10)));

        JsonPath rules = given().header("x-tidemark-tenant", TENANT).get("/api/v1/rules").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("alerting", rules.getString("data.groups[0].rules[0].type"));
        assertEquals("firing", rules.getString("data.groups[0].rules[0].state"));
        assertEquals("ok", rules.getString("data.groups[0].rules[0].health"));
        assertEquals("cpu_usage > 90", rules.getString("data.groups[0].rules[0].query"));
        assertEquals("9.5e+01", rules.getString("data.groups[0].rules[0].alerts[0].value"));
        assertEquals("recording", rules.getString("data.groups[0].rules[1].type"));
        assertTrue(!rules.getString("data.groups[0].lastEvaluation").startsWith("0001"));
        assertEquals(1, given().header("x-tidemark-tenant", TENANT).queryParam("type", "record").get("/api/v1/rules")
                .then().statusCode(200).extract().jsonPath().getList("data.groups[0].rules").size());

        JsonPath alerts = given().header("x-tidemark-tenant", TENANT).get("/api/v1/alerts").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("firing", alerts.getString("data.alerts[0].state"));
        assertEquals("web-1", alerts.getString("data.alerts[0].labels.host"));
        assertEquals("HighCPU", alerts.getString("data.alerts[0].labels.alertname"));
        assertEquals("CPU on web-1 is 95", alerts.getString("data.alerts[0].annotations.summary"));
        // other tenants see nothing
        assertEquals(0, given().header("x-tidemark-tenant", "someone-else").get("/api/v1/alerts").then()
                .statusCode(200).extract().jsonPath().getList("data.alerts").size());

        // acknowledge and history over HTTP
        String fingerprint = given().header("x-tidemark-tenant", TENANT).get("/api/v1/alerting/alerts").then()
                .statusCode(200).extract().jsonPath().getString("data.alerts[0].fingerprint");
        given().header("x-tidemark-tenant", TENANT).body("{\"by\": \"bob\", \"comment\": \"looking\"}")
                .post("/api/v1/alerting/alerts/" + fingerprint + "/ack").then().statusCode(200)
                .body("data.acknowledgedBy", org.hamcrest.Matchers.equalTo("bob"));
        given().header("x-tidemark-tenant", TENANT).body("{\"by\": \"bob\"}")
                .post("/api/v1/alerting/alerts/0000000000000000/ack").then().statusCode(404)
                .body("errorType", org.hamcrest.Matchers.equalTo("not_found"));
        JsonPath history = given().header("x-tidemark-tenant", TENANT).queryParam("rule", "HighCPU")
                .queryParam("state", "firing").get("/api/v1/alerting/history").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, history.getList("data").size());
        assertEquals("firing", history.getString("data[0].state"));
        given().header("x-tidemark-tenant", TENANT).queryParam("state", "burning").get("/api/v1/alerting/history")
                .then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("state"));

        // the evaluation is in /q/metrics
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tidemark_alerting_group_evaluation_seconds_count{group=\"api\",tenant=\""
                + TENANT + "\"}"), "evaluation time per group in /q/metrics");
    }

    @Test
    void badRuleFilesAreRefusedWithLineAndField() {
        JsonPath error = given().header("x-tidemark-tenant", TENANT).body(FILE.replace("cpu_usage > 90", "cpu_usage >"))
                .post("/api/v1/alerting/rules").then().statusCode(400).extract().jsonPath();
        assertEquals("error", error.getString("status"));
        assertEquals("bad_data", error.getString("errorType"));
        assertEquals(6, error.getInt("line"));
        assertEquals("groups[0].rules[0].expr", error.getString("field"));
        assertTrue(error.getString("error").startsWith("line 6: groups[0].rules[0].expr: 1:"), error.getString("error"));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub().putRuleFile(
                PutRuleFileRequest.newBuilder().setYaml(FILE.replace("for: 0s", "for: 5 min")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("line 7: groups[0].rules[0].for: not a valid duration string: \"5 min\"",
                e.getStatus().getDescription());
        assertEquals(0, Db.count("SELECT count(*) FROM alert_rule_groups"), "nothing stored");
    }

    @Test
    void thresholdFormOfSeed003OverHttpAndGrpc() {
        JsonPath created = given().header("x-tidemark-tenant", TENANT).contentType("application/json").body("""
                {
                  "name": "High API Latency",
                  "metric": "http.request.latency",
                  "aggregation": "p99",
                  "tags": { "service": "api-gateway" },
                  "condition": "above",
                  "threshold": 500,
                  "duration": "5m",
                  "channels": ["slack:#oncall", "pagerduty:team-infra"]
                }""").post("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals("max(quantile_over_time(0.99, {__name__=\"http.request.latency\",service=\"api-gateway\"}[1m]))"
                + " > 500", created.getString("data.rule.expr"));
        assertEquals("5m", created.getString("data.rule.for"));
        assertEquals(List.of("slack:#oncall", "pagerduty:team-infra"), created.getList("data.rule.channels"));
        assertEquals("threshold", created.getString("data.group.name"));

        given().header("x-tidemark-tenant", TENANT).body("{\"name\": \"X\", \"metric\": \"m\", \"condition\": \"up\","
                + " \"threshold\": 1}").post("/api/v1/alerts").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("condition"));

        PutThresholdRuleResponse r = stub().putThresholdRule(PutThresholdRuleRequest.newBuilder().setName("LowDisk")
                .setMetric("disk_free_percent").setAggregation("min").putTags("mount", "/")
                .setCondition(Direction.DIRECTION_BELOW).setThreshold(10).setDuration("10m").addGroupBy("host")
                .setWindow("5m").build());
        assertEquals("min by (host) (min_over_time(disk_free_percent{mount=\"/\"}[5m])) < 10", r.getRule().getExpr());
        assertEquals(RuleForm.RULE_FORM_THRESHOLD, r.getRule().getForm());
        assertEquals(2, r.getGroup().getRulesCount(), "both threshold rules in the default group");

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub().putThresholdRule(
                PutThresholdRuleRequest.newBuilder().setName("Bad").setMetric("m").setAggregation("median")
                        .setCondition(Direction.DIRECTION_ABOVE).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("aggregation: "), e.getStatus().getDescription());

        var anomaly = stub().putAnomalyRule(PutAnomalyRuleRequest.newBuilder().setName("CpuAnomaly")
                .setMetric("cpu.usage.percent").setDirection(Direction.DIRECTION_ABOVE).setK(2).setBaseline("1h")
                .build());
        assertTrue(anomaly.getRule().getExpr().contains("2 * stddev_over_time("), anomaly.getRule().getExpr());
        assertEquals(RuleForm.RULE_FORM_ANOMALY, anomaly.getRule().getForm());
        JsonPath http = given().header("x-tidemark-tenant", TENANT).body("{\"name\": \"LatAnomaly\", \"metric\":"
                + " \"latency\", \"aggregation\": \"avg\", \"group_by\": [\"region\"], \"k\": 3}")
                .post("/api/v1/alerting/anomaly").then().statusCode(200).extract().jsonPath();
        assertTrue(http.getString("data.rule.expr").contains("[1h:1m]"), http.getString("data.rule.expr"));
    }

    @Test
    void groupsConfigSilencesAndAcksOverGrpc() {
        stub().putRuleFile(PutRuleFileRequest.newBuilder().setYaml(FILE).build());
        assertEquals(List.of("api"), stub().listRuleGroups(ListRuleGroupsRequest.getDefaultInstance()).getGroupsList()
                .stream().map(io.tidemark.proto.v1.RuleGroup::getName).toList());
        var group = stub().getRuleGroup(GetRuleGroupRequest.newBuilder().setName("api").build()).getGroup();
        assertEquals("15s", group.getInterval());
        assertEquals("HighCPU", group.getRules(0).getAlert());
        assertEquals(Map.of("severity", "page"), group.getRules(0).getLabelsMap());
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> stub().getRuleGroup(GetRuleGroupRequest.newBuilder().setName("nope").build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());

        StatusRuntimeException badConfig = assertThrows(StatusRuntimeException.class, () -> stub().putRoutingConfig(
                PutRoutingConfigRequest.newBuilder().setYaml("route: {receiver: x}\nreceivers: []\n").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badConfig.getStatus().getCode());
        assertEquals("route.receiver: undefined receiver \"x\"", badConfig.getStatus().getDescription());
        String yaml = "route: {receiver: x}\nreceivers: [{name: x, webhook_configs: [{url: \"http://127.0.0.1:9/\"}]}]\n";
        assertEquals(List.of("x"), stub().putRoutingConfig(PutRoutingConfigRequest.newBuilder().setYaml(yaml).build())
                .getReceiversList());
        assertEquals(yaml, stub().getRoutingConfig(GetRoutingConfigRequest.getDefaultInstance()).getYaml());

        long now = System.currentTimeMillis();
        Silence s = stub().createSilence(CreateSilenceRequest.newBuilder().addMatchers(Matcher.newBuilder()
                .setName("host").setValue("web-.*").setType(Matcher.Type.TYPE_REGEX)).setEndsAtMs(now + 3_600_000)
                .setCreatedBy("ops").setComment("deploy").build()).getSilence();
        assertEquals("active", s.getStatus());
        StatusRuntimeException badSilence = assertThrows(StatusRuntimeException.class, () -> stub().createSilence(
                CreateSilenceRequest.newBuilder().addMatchers(Matcher.newBuilder().setName("host").setValue("(")
                        .setType(Matcher.Type.TYPE_REGEX)).setEndsAtMs(now + 1000).setCreatedBy("a").setComment("b")
                        .build()));
        assertTrue(badSilence.getStatus().getDescription().startsWith("matchers[0].value: "),
                badSilence.getStatus().getDescription());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> stub()
                .createSilence(CreateSilenceRequest.newBuilder().addMatchers(Matcher.newBuilder().setName("host")
                        .setValue("a")).setEndsAtMs(now - 1000).setCreatedBy("a").setComment("b").build()))
                .getStatus().getCode());
        assertEquals("expired", stub().expireSilence(ExpireSilenceRequest.newBuilder().setId(s.getId()).build())
                .getSilence().getStatus());
        assertEquals(1, stub().listSilences(ListSilencesRequest.getDefaultInstance()).getSilencesCount());
        // silences over HTTP, Alertmanager's matcher shape
        String id = given().header("x-tidemark-tenant", TENANT).body("{\"matchers\": [{\"name\": \"alertname\","
                + " \"value\": \"HighCPU\", \"isRegex\": false, \"isEqual\": true}], \"endsAt\": \""
                + java.time.Instant.ofEpochMilli(now + 600_000) + "\", \"createdBy\": \"ops\", \"comment\": \"x\"}")
                .post("/api/v1/alerting/silences").then().statusCode(200).extract().jsonPath()
                .getString("data.silenceID");
        given().header("x-tidemark-tenant", TENANT).delete("/api/v1/alerting/silences/" + id).then().statusCode(200)
                .body("data.status.state", org.hamcrest.Matchers.equalTo("expired"));
        given().header("x-tidemark-tenant", TENANT).body("{\"matchers\": [], \"endsAt\": \"" + (now / 1000 + 60)
                + "\", \"createdBy\": \"ops\", \"comment\": \"x\"}").post("/api/v1/alerting/silences").then()
                .statusCode(400).body("field", org.hamcrest.Matchers.equalTo("matchers"));

        // acknowledgement over gRPC of an evaluated alert
        querier.answer("cpu_usage > 90", List.of(sample(99, "host", "web-2")));
        evaluator.tick().await().atMost(Duration.ofSeconds(10));
        var alert = stub().listAlerts(ListAlertsRequest.getDefaultInstance()).getAlerts(0);
        assertEquals(AlertState.ALERT_STATE_FIRING, alert.getState());
        var acked = stub().acknowledgeAlert(AcknowledgeAlertRequest.newBuilder().setFingerprint(alert.getFingerprint())
                .setBy("carol").build()).getAlert();
        assertEquals("carol", acked.getAcknowledgedBy());
        assertEquals("carol", stub().listAlerts(ListAlertsRequest.getDefaultInstance()).getAlerts(0)
                .getAcknowledgedBy());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> stub()
                .acknowledgeAlert(AcknowledgeAlertRequest.newBuilder().setFingerprint(alert.getFingerprint()).build()))
                .getStatus().getCode());
        var history = stub().alertHistory(AlertHistoryRequest.newBuilder().setRule("HighCPU")
                .setState(AlertState.ALERT_STATE_PENDING).build());
        assertEquals(1, history.getEntriesCount());
        assertEquals(99, history.getEntries(0).getValue());

        assertTrue(stub().deleteRuleGroup(DeleteRuleGroupRequest.newBuilder().setName("api").build()).getDeleted());
        assertEquals(0, stub().listAlerts(ListAlertsRequest.getDefaultInstance()).getAlertsCount(),
                "a deleted group's alerts go with it");
    }
}
