package io.tidemark.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.testing.Db;
import io.tidemark.testing.TidemarkTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class JsonPushTest {

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void hostShapeMakesHostIdTheHostLabel() {
        long ts = nowSeconds();
        given().contentType("application/json").body("""
                {"host_id": "web-7", "metrics": [
                  {"name": "json.cpu.percent", "value": 71.5, "timestamp": %d, "tags": {"core": "0"}},
                  {"name": "json.cpu.percent", "value": 12, "timestamp": %d, "tags": {"core": "0", "host": "override"}}
                ]}""".formatted(ts, ts))
                .when().post("/api/v1/metrics")
                .then().statusCode(200).body("accepted", equalTo(2)).body("rejected", hasSize(0));
        assertEquals(1, Db.count("SELECT count(*) FROM series WHERE name = 'json.cpu.percent' AND labels = "
                + "'{\"core\":\"0\",\"host\":\"web-7\"}'::jsonb"));
        assertEquals(1, Db.count("SELECT count(*) FROM series WHERE name = 'json.cpu.percent' AND labels @> "
                + "'{\"host\":\"override\"}'::jsonb"));
        assertEquals(1, Db.count("SELECT count(*) FROM samples s JOIN series r ON r.id = s.series_id "
                + "WHERE r.labels @> '{\"host\":\"web-7\"}'::jsonb AND s.ts = ? AND s.value = 71.5", ts * 1000));
    }

    @Test
    void bareArrayShapeWithPerElementRejections() {
        long ts = nowSeconds();
        given().contentType("application/json").header("x-tidemark-tenant", "json-tenant").body("""
                [
                  {"metric": "api.latency.ms", "tags": {"service": "checkout"}, "timestamp": %d, "value": 120.5},
                  {"metric": "api latency", "tags": {}, "timestamp": %d, "value": 1},
                  {"metric": "api.latency.ms", "tags": {"service": "cart"}, "timestamp": %d, "value": "oops"},
                  {"metric": "api.latency.ms", "tags": {"service": "search"}, "timestamp": %d, "value": 3},
                  {"metric": "api.latency.ms", "tags": {"service": "nan"}, "timestamp": %d, "value": "NaN"}
                ]""".formatted(ts, ts, ts, ts + 7200, ts))
                .when().post("/api/v1/metrics")
                .then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected", hasSize(3))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].field", equalTo("[1].metric"))
                .body("rejected[0].code", equalTo("invalid_name"))
                .body("rejected[1].index", equalTo(2))
                .body("rejected[1].field", equalTo("[2].value"))
                .body("rejected[2].field", equalTo("[3].timestamp"))
                .body("rejected[2].reason", containsString("in the future"));
        assertEquals(2, Db.samplesOf("json-tenant", "api.latency.ms"));
    }

    @Test
    void malformedJsonGetsThePrometheusErrorEnvelope() {
        given().contentType("application/json").body("{\"metrics\": [")
                .when().post("/api/v1/metrics")
                .then().statusCode(400)
                .body("status", equalTo("error"))
                .body("errorType", equalTo("bad_data"))
                .body("error", containsString("invalid JSON"));
        given().contentType("application/json").body("{\"something\": 1}")
                .when().post("/api/v1/metrics")
                .then().statusCode(400).body("error", containsString("expected a JSON array"));
    }

    @Test
    void everySampleRejectedIsA400WithTheReasons() {
        given().contentType("application/json").body("[{\"metric\": \"9bad\", \"value\": 1}]")
                .when().post("/api/v1/metrics")
                .then().statusCode(400).body("status", equalTo("error")).body("rejected[0].code", equalTo("invalid_name"));
    }
}
