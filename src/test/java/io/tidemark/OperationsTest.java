package io.tidemark;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.testing.TidemarkTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class OperationsTest {

    @Test
    void readyWhenPostgresAnswers() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void ingestMetricsArePublished() {
        given().contentType("application/json").body("[{\"metric\": \"ops_metric\", \"value\": 1}, {\"metric\": \"-\", \"value\": 1}]")
                .when().post("/api/v1/metrics").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("tidemark_ingest_samples_accepted_total"))
                .body(containsString("tidemark_ingest_samples_rejected_total{reason=\"invalid_name\"}"))
                .body(containsString("tidemark_ingest_flush_duration_seconds_bucket"))
                .body(containsString("tidemark_ingest_flush_samples_bucket"))
                .body(containsString("tidemark_ingest_queue_samples"))
                .body(containsString("tidemark_series_created_total"));
    }
}
