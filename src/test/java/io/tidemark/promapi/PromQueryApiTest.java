package io.tidemark.promapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.Sample;
import io.tidemark.proto.v1.TimeSeries;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.proto.v1.WriteResponse;
import io.tidemark.promql.eval.StaleNaN;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** query and query_range over the real service, as Grafana's Prometheus data source calls them. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class PromQueryApiTest {

    private static final String TENANT = "prom-query";
    /** A whole minute, 20 minutes ago, so that every window below is in the past. */
    private static final long T0 = (System.currentTimeMillis() - 1_200_000) / 60_000 * 60_000;

    @BeforeAll
    static void ingest() throws Exception {
        MetricBatch.Builder batch = MetricBatch.newBuilder();
        // pq_requests_total{job=api|web}: a counter growing by 10 (api) and 20 (web) every 10 s for 10 minutes
        for (String job : new String[] { "api", "web" }) {
            TimeSeries.Builder s = TimeSeries.newBuilder().setName("pq_requests_total").putLabels("job", job);
            for (int i = 0; i <= 60; i++) {
                s.addSamples(Sample.newBuilder().setTimestampMs(T0 + i * 10_000L)
                        .setValue(i * (job.equals("api") ? 10 : 20)));
            }
            batch.addSeries(s);
        }
        // pq.cpu.usage.percent{host=h1}: 5 at T0, NaN at T0+60s; {host=h2}: 7 at T0, a staleness marker at T0+60s
        batch.addSeries(TimeSeries.newBuilder().setName("pq.cpu.usage.percent").putLabels("host", "h1")
                .addSamples(Sample.newBuilder().setTimestampMs(T0).setValue(5))
                .addSamples(Sample.newBuilder().setTimestampMs(T0 + 60_000).setValue(Double.NaN)));
        batch.addSeries(TimeSeries.newBuilder().setName("pq.cpu.usage.percent").putLabels("host", "h2")
                .addSamples(Sample.newBuilder().setTimestampMs(T0).setValue(7))
                .addSamples(Sample.newBuilder().setTimestampMs(T0 + 60_000).setValue(StaleNaN.VALUE)));
        try (GrpcTestClient client = new GrpcTestClient()) {
            WriteResponse ack = client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(batch).build());
            assertEquals(126, ack.getAccepted(), ack.toString());
        }
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("x-tidemark-tenant", TENANT);
    }

    private static String seconds(long ms) {
        return PromJson.seconds(ms);
    }

    @Test
    void instantQueryOfASelectorAndAnAggregation() {
        long t = T0 + 300_000;
        api().queryParam("query", "pq_requests_total").queryParam("time", seconds(t))
                .when().get("/api/v1/query").then().statusCode(200)
                .body("status", equalTo("success"))
                .body("data.resultType", equalTo("vector"))
                .body("data.result", hasSize(2))
                .body("data.result[0].metric.job", equalTo("api"))
                .body("data.result[0].value[1]", equalTo("300"));
        api().queryParam("query", "sum(rate(pq_requests_total[1m]))").queryParam("time", seconds(t))
                .when().get("/api/v1/query").then().statusCode(200)
                .body("data.result[0].metric.size()", equalTo(0))
                .body("data.result[0].value[1]", equalTo("3"));
        api().queryParam("query", "1 + 2").queryParam("time", seconds(t))
                .when().get("/api/v1/query").then().statusCode(200)
                .body("data.resultType", equalTo("scalar"))
                .body("data.result[1]", equalTo("3"));
    }

    @Test
    void dottedNamesStalenessMarkersAndNaN() {
        // at T0+30s both series answer their T0 value (lookback)
        api().queryParam("query", "{\"pq.cpu.usage.percent\"}").queryParam("time", seconds(T0 + 30_000))
                .when().get("/api/v1/query").then().statusCode(200)
                .body("data.result", hasSize(2))
                .body("data.result.value.collect { it[1] }", contains("5", "7"));
        // after T0+60s h1 is an ordinary NaN sample, h2 ended with its staleness marker
        api().queryParam("query", "{__name__=\"pq.cpu.usage.percent\"}").queryParam("time", seconds(T0 + 90_000))
                .when().get("/api/v1/query").then().statusCode(200)
                .body("data.result", hasSize(1))
                .body("data.result[0].metric.host", equalTo("h1"))
                .body("data.result[0].value[1]", equalTo("NaN"));
    }

    @Test
    void rangeQueryByFormPostLikeGrafana() {
        api().contentType("application/x-www-form-urlencoded")
                .formParam("query", "sum by (job) (increase(pq_requests_total[1m]))")
                .formParam("start", seconds(T0 + 120_000)).formParam("end", seconds(T0 + 240_000))
                .formParam("step", "60")
                .when().post("/api/v1/query_range").then().statusCode(200)
                .body("data.resultType", equalTo("matrix"))
                .body("data.result", hasSize(2))
                .body("data.result[0].metric.job", equalTo("api"))
                .body("data.result[0].values", hasSize(3))
                .body("data.result[0].values[0][1]", equalTo("60"))
                .body("data.result[1].values[2][1]", equalTo("120"));
    }

    @Test
    void errorsUsePrometheusTypesAndMessages() {
        api().queryParam("query", "sum(rate(pq_requests_total[1m])").when().get("/api/v1/query").then()
                .statusCode(400).body("errorType", equalTo("bad_data"))
                .body("error", containsString("invalid parameter \"query\": 1:"));
        api().queryParam("query", "up").queryParam("start", "10").queryParam("end", "5").queryParam("step", "1")
                .when().get("/api/v1/query_range").then().statusCode(400)
                .body("error", equalTo("invalid parameter \"end\": end timestamp must not be before start time"));
        api().queryParam("query", "up").queryParam("start", "0").queryParam("end", "100000").queryParam("step", "1")
                .when().get("/api/v1/query_range").then().statusCode(400)
                .body("error", containsString("exceeded maximum resolution of 11,000 points per timeseries"));
        api().queryParam("query", "up").queryParam("start", "0").queryParam("end", "1").queryParam("step", "0")
                .when().get("/api/v1/query_range").then().statusCode(400)
                .body("error", containsString("zero or negative query resolution step widths are not accepted"));
        api().queryParam("query", "pq_requests_total[5m]").queryParam("start", "0").queryParam("end", "1")
                .queryParam("step", "1").when().get("/api/v1/query_range").then().statusCode(400)
                .body("error", containsString("invalid expression type \"range vector\" for range query"));
    }

    @Test
    void aQueryOverTheSampleLimitFailsWithTheExecutionEnvelope() throws Exception {
        try (GrpcTestClient client = new GrpcTestClient()) {
            for (int part = 0; part < 4; part++) { // batches of 30,000 samples (the batch limit is 50,000)
                MetricBatch.Builder batch = MetricBatch.newBuilder();
                for (int host = part * 250; host < (part + 1) * 250; host++) {
                    TimeSeries.Builder s = TimeSeries.newBuilder().setName("pq_big").putLabels("host", "h" + host);
                    for (int i = 0; i < 120; i++) {
                        s.addSamples(Sample.newBuilder().setTimestampMs(T0 + i * 10_000L).setValue(i));
                    }
                    batch.addSeries(s);
                }
                assertEquals(30_000, client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(batch).build())
                        .getAccepted());
            }
        }
        // tidemark.promql.max-samples is 100,000 in the test profile
        api().queryParam("query", "sum(count_over_time(pq_big[30m]))").queryParam("time", seconds(T0 + 1_200_000))
                .when().get("/api/v1/query").then().statusCode(422)
                .body("status", equalTo("error")).body("errorType", equalTo("execution"))
                .body("error", containsString("query processing would load too many samples into memory"));
        // a narrower selector stays under it
        api().queryParam("query", "sum(count_over_time(pq_big{host=~\"h1.*\"}[30m]))")
                .queryParam("time", seconds(T0 + 1_200_000))
                .when().get("/api/v1/query").then().statusCode(200).body("data.result[0].value[1]", equalTo("13320"));
    }
}
