package io.tidemark.promapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.MetricType;
import io.tidemark.proto.v1.WriteResponse;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metadata endpoints as Grafana's Prometheus data source calls them (metric browser, label pickers). */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class PromMetadataApiTest {

    private static final String TENANT = "prom-meta";
    private static final long NOW = System.currentTimeMillis();

    @BeforeAll
    static void ingest() throws Exception {
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        for (String job : new String[] { "api", "web" }) {
            for (int i = 0; i < 2; i++) {
                batch.addSeries(TimeSeries.newBuilder().setName("pm_http_requests_total")
                        .setType(MetricType.METRIC_TYPE_COUNTER).setHelp("Requests.")
                        .putLabels("job", job).putLabels("instance", job + "-" + i)
                        .addSamples(Sample.newBuilder().setTimestampMs(NOW - 60_000).setValue(i)));
            }
        }
        batch.addSeries(GrpcTestClient.series("pm.cpu.usage.percent", Map.of("host.name", "h1"), NOW - 3_600_000, 1));
        try (GrpcTestClient client = new GrpcTestClient()) {
            WriteResponse ack = client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(batch).build());
            assertEquals(5, ack.getAccepted(), ack.toString());
        }
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("x-tidemark-tenant", TENANT);
    }

    @Test
    void buildinfoAnswersInPrometheusShape() {
        given().when().get("/api/v1/status/buildinfo").then().statusCode(200)
                .body("status", equalTo("success"))
                .body("data.version", equalTo("2.42.0"))
                .body("data.revision", containsString("tidemark"));
    }

    @Test
    void labelNamesAndValuesForTheMetricBrowser() {
        api().queryParam("start", (NOW - 7_200_000) / 1000.0).queryParam("end", NOW / 1000.0)
                .when().get("/api/v1/labels").then().statusCode(200)
                .body("data", contains("__name__", "host.name", "instance", "job"));
        api().when().get("/api/v1/label/__name__/values").then().statusCode(200)
                .body("data", contains("pm.cpu.usage.percent", "pm_http_requests_total"));
        api().queryParam("match[]", "pm_http_requests_total{job=~\"a.*\"}")
                .when().get("/api/v1/label/instance/values").then().statusCode(200)
                .body("data", contains("api-0", "api-1"));
        api().queryParam("match[]", "{__name__=~\"pm_.*\"}")
                .when().get("/api/v1/labels").then().statusCode(200)
                .body("data", contains("__name__", "instance", "job"));
    }

    @Test
    void seriesByFormPostLikeGrafana() {
        api().contentType("application/x-www-form-urlencoded")
                .formParam("match[]", "pm_http_requests_total{instance!~\".*-1\"}")
                .formParam("match[]", "{\"pm.cpu.usage.percent\"}")
                .formParam("start", String.valueOf((NOW - 7_200_000) / 1000))
                .formParam("end", String.valueOf(NOW / 1000))
                .when().post("/api/v1/series").then().statusCode(200)
                .body("data", hasSize(3))
                .body("data[0].__name__", equalTo("pm.cpu.usage.percent"))
                .body("data[0].'host.name'", equalTo("h1"))
                .body("data[1].instance", equalTo("api-0"))
                .body("data[2].instance", equalTo("web-0"));
    }

    @Test
    void theTimeRangeLimitsSeriesToThoseWithSamplesInIt() {
        api().queryParam("match[]", "{__name__=~\"pm.*\"}")
                .queryParam("start", (NOW - 120_000) / 1000.0).queryParam("end", NOW / 1000.0)
                .when().get("/api/v1/series").then().statusCode(200)
                .body("data", hasSize(4))
                .body("data.__name__", not(hasItem("pm.cpu.usage.percent")));
    }

    @Test
    void metadataFromTheIngestedTypeAndHelp() {
        api().queryParam("metric", "pm_http_requests_total").when().get("/api/v1/metadata").then().statusCode(200)
                .body("data.pm_http_requests_total[0].type", equalTo("counter"))
                .body("data.pm_http_requests_total[0].help", equalTo("Requests."));
    }

    @Test
    void badParametersGetTheErrorEnvelope() {
        api().when().get("/api/v1/series").then().statusCode(400)
                .body("status", equalTo("error")).body("errorType", equalTo("bad_data"))
                .body("error", equalTo("no match[] parameter provided"));
        api().queryParam("match[]", "up{job=").when().get("/api/v1/series").then().statusCode(400)
                .body("errorType", equalTo("bad_data"))
                .body("error", containsString("invalid parameter \"match[]\": 1:8: parse error"));
        api().queryParam("match[]", "rate(x[5m])").when().get("/api/v1/series").then().statusCode(400)
                .body("error", containsString("expected type instant vector in vector selector"));
        api().queryParam("match[]", "up").queryParam("start", "yesterday").when().get("/api/v1/series")
                .then().statusCode(400).body("error", equalTo("invalid parameter \"start\": cannot parse \"yesterday\""
                        + " to a valid timestamp"));
        api().when().get("/api/v1/label/bad-name/values").then().statusCode(400)
                .body("error", equalTo("invalid label name: \"bad-name\""));
    }

    @Test
    void formatQueryAndEmptyExemplars() {
        given().queryParam("query", "sum by(job)(rate(x[5m]))").when().get("/api/v1/format_query").then()
                .statusCode(200).body("data", equalTo("sum by (job) (rate(x[5m]))"));
        given().queryParam("query", "up").when().get("/api/v1/query_exemplars").then().statusCode(200)
                .body("data", hasSize(0));
    }
}
