package io.tidemark.query;

import static io.restassured.RestAssured.given;
import static io.tidemark.testing.GrpcTestClient.series;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.proto.v1.CardinalityEntry;
import io.tidemark.proto.v1.CardinalityRequest;
import io.tidemark.proto.v1.CardinalityResponse;
import io.tidemark.proto.v1.MetricBatch;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.WriteRequest;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cardinality report over gRPC (QueryService/Cardinality) and HTTP (/api/v1/status/tsdb) counts what was ingested. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class CardinalityReportTest {

    private static final String TENANT = "cardinality-report";
    private static GrpcTestClient client;

    @BeforeAll
    static void load() {
        client = new GrpcTestClient();
        long t = System.currentTimeMillis();
        MetricBatch batch = MetricBatch.newBuilder()
                .addSeries(series("r_cpu", Map.of("host", "h0", "region", "eu"), t, 1))
                .addSeries(series("r_cpu", Map.of("host", "h1", "region", "eu"), t, 1))
                .addSeries(series("r_cpu", Map.of("host", "h2", "region", "us"), t, 1))
                .addSeries(series("r_mem", Map.of("host", "h0"), t, 1))
                .addSeries(series("r_mem", Map.of("host", "h1"), t, 1))
                .addSeries(series("r_up", Map.of(), t, 1)).build();
        assertEquals(6, client.blocking(TENANT).write(WriteRequest.newBuilder().setBatch(batch).build()).getAccepted());
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    private static CardinalityResponse cardinality(String tenant, CardinalityRequest request) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), tenant);
        return QueryServiceGrpc.newBlockingStub(client.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).cardinality(request);
    }

    private static List<String> entries(List<CardinalityEntry> entries) {
        return entries.stream().map(e -> e.getName() + ":" + e.getCount()).toList();
    }

    @Test
    void grpcReportCountsTheTenantsSeries() {
        CardinalityResponse r = cardinality(TENANT, CardinalityRequest.getDefaultInstance());
        assertEquals(6, r.getTotalSeries());
        assertEquals(5, r.getTotalLabelPairs(), "host=h0, h1, h2, region=eu, us");
        assertEquals(List.of("r_cpu:3", "r_mem:2", "r_up:1"), entries(r.getSeriesByMetricList()));
        assertEquals(List.of("host:5", "region:3"), entries(r.getSeriesByLabelNameList()));
        assertEquals(List.of("host:3", "region:2"), entries(r.getValuesByLabelNameList()));
        assertEquals(List.of("host=h0:2", "host=h1:2", "region=eu:2", "host=h2:1", "region=us:1"),
                entries(r.getSeriesByLabelPairList()), "largest first, ties by name");
    }

    @Test
    void grpcReportHonoursLimitAndMetric() {
        CardinalityResponse top2 = cardinality(TENANT, CardinalityRequest.newBuilder().setLimit(2).build());
        assertEquals(6, top2.getTotalSeries(), "the total is not cut by the limit");
        assertEquals(List.of("r_cpu:3", "r_mem:2"), entries(top2.getSeriesByMetricList()));
        assertEquals(List.of("host=h0:2", "host=h1:2"), entries(top2.getSeriesByLabelPairList()));

        CardinalityResponse cpu = cardinality(TENANT, CardinalityRequest.newBuilder().setMetric("r_cpu").build());
        assertEquals(3, cpu.getTotalSeries());
        assertEquals(List.of("r_cpu:3"), entries(cpu.getSeriesByMetricList()));
        assertEquals(List.of("host:3", "region:3"), entries(cpu.getSeriesByLabelNameList()));
        assertEquals(List.of("host:3", "region:2"), entries(cpu.getValuesByLabelNameList()));

        CardinalityResponse none = cardinality("cardinality-nobody", CardinalityRequest.getDefaultInstance());
        assertEquals(0, none.getTotalSeries());
        assertEquals(0, none.getSeriesByMetricCount());
    }

    @Test
    void grpcLimitOverTheMaximumIsInvalidArgumentNamingIt() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> cardinality(TENANT, CardinalityRequest.newBuilder().setLimit(5000).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("limit: at most 1000"), e.getStatus().getDescription());
    }

    @Test
    void httpReportHasPrometheusTsdbStatusShape() {
        given().header("x-tidemark-tenant", TENANT).when().get("/api/v1/status/tsdb")
                .then().statusCode(200)
                .body("status", equalTo("success"))
                .body("data.headStats.numSeries", equalTo(6))
                .body("data.headStats.numLabelPairs", equalTo(5))
                .body("data.seriesCountByMetricName.name", equalTo(List.of("r_cpu", "r_mem", "r_up")))
                .body("data.seriesCountByMetricName.value", equalTo(List.of(3, 2, 1)))
                .body("data.labelValueCountByLabelName.name", equalTo(List.of("host", "region")))
                .body("data.labelValueCountByLabelName.value", equalTo(List.of(3, 2)))
                .body("data.memoryInBytesByLabelName", hasSize(0))
                .body("data.seriesCountByLabelValuePair.name",
                        equalTo(List.of("host=h0", "host=h1", "region=eu", "host=h2", "region=us")))
                .body("data.seriesCountByLabelValuePair.value", equalTo(List.of(2, 2, 2, 1, 1)))
                .body("data.seriesCountByLabelName.name", equalTo(List.of("host", "region")))
                .body("data.seriesCountByLabelName.value", equalTo(List.of(5, 3)));
        given().header("x-tidemark-tenant", TENANT).queryParam("limit", 1).when().get("/api/v1/status/tsdb")
                .then().statusCode(200)
                .body("data.headStats.numSeries", equalTo(6))
                .body("data.seriesCountByMetricName", hasSize(1))
                .body("data.seriesCountByLabelValuePair", hasSize(1));
    }

    @Test
    void httpRefusalsUseThePrometheusErrorEnvelope() {
        given().header("x-tidemark-tenant", TENANT).queryParam("limit", "ten").when().get("/api/v1/status/tsdb")
                .then().statusCode(400).body("status", equalTo("error")).body("errorType", equalTo("bad_data"))
                .body("error", containsString("limit"));
        given().header("x-tidemark-tenant", TENANT).queryParam("limit", 5000).when().get("/api/v1/status/tsdb")
                .then().statusCode(400).body("error", containsString("at most 1000"));
        given().header("x-tidemark-tenant", "no spaces").when().get("/api/v1/status/tsdb")
                .then().statusCode(400).body("error", containsString("x-tidemark-tenant"));
    }
}
