package io.tidemark.hosts;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tidemark.proto.v1.DecommissionHostRequest;
import io.tidemark.proto.v1.HeartbeatRequest;
import io.tidemark.proto.v1.HostServiceGrpc;
import io.tidemark.proto.v1.HostStatus;
import io.tidemark.proto.v1.ListHostsRequest;
import io.tidemark.proto.v1.ListHostsResponse;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hosts registry over real gRPC and HTTP against PostgreSQL: heartbeats, listings, inactivity, tidemark_host_up. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class HostRegistryTest {

    private static GrpcTestClient client;

    @Inject
    HostStatusJob job;

    @BeforeAll
    static void connect() {
        client = new GrpcTestClient();
    }

    @AfterAll
    static void close() throws InterruptedException {
        client.close();
    }

    private static HostServiceGrpc.HostServiceBlockingStub hosts(String tenant) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-tidemark-tenant", Metadata.ASCII_STRING_MARSHALLER), tenant);
        return HostServiceGrpc.newBlockingStub(client.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static HeartbeatRequest heartbeat(String id, String hostname, Map<String, String> labels) {
        return HeartbeatRequest.newBuilder().setHostId(id).setHostname(hostname).setIpAddress("10.1.2.3")
                .setAgentVersion("0.1.0").setBufferDepth(4).setSamplesDropped(7).putAllLabels(labels).build();
    }

    @Test
    void heartbeatRegistersAndUpdatesOneRowPerHost() {
        String tenant = "hosts-register";
        String id = UUID.randomUUID().toString();
        var stub = hosts(tenant);
        assertEquals(HostStatus.HOST_STATUS_ACTIVE, stub.heartbeat(heartbeat(id, "web-01",
                Map.of("environment", "prod", "datacenter", "eu-west", "role", "web"))).getStatus());
        stub.heartbeat(heartbeat(id, "web-01", Map.of("environment", "prod", "datacenter", "eu-west", "role", "web"))
                .toBuilder().setIpAddress("10.9.9.9").setBufferDepth(0).build());

        ListHostsResponse listed = stub.listHosts(ListHostsRequest.getDefaultInstance());
        assertEquals(1, listed.getHostsCount());
        var host = listed.getHosts(0);
        assertEquals(id, host.getHostId());
        assertEquals("web-01", host.getHostname());
        assertEquals("10.9.9.9", host.getIpAddress());
        assertEquals("prod", host.getEnvironment());
        assertEquals("eu-west", host.getDatacenter());
        assertEquals("0.1.0", host.getAgentVersion());
        assertEquals(0, host.getBufferDepth());
        assertEquals(7, host.getSamplesDropped());
        assertEquals("web", host.getLabelsMap().get("role"));
        assertTrue(Math.abs(host.getLastSeenMs() - System.currentTimeMillis()) < 60_000, "last_seen is now");
        assertEquals(1, Db.count("SELECT count(*) FROM hosts WHERE tenant = ? AND hostname = 'web-01'", tenant));
        assertEquals(0, hosts("hosts-other-tenant").listHosts(ListHostsRequest.getDefaultInstance()).getHostsCount(),
                "a tenant sees only its own hosts");
    }

    @Test
    void listingFiltersByStatusAndLabelsOverGrpcAndHttp() {
        String tenant = "hosts-filter";
        var stub = hosts(tenant);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        stub.heartbeat(heartbeat(a, "db-1", Map.of("environment", "prod", "datacenter", "eu")));
        stub.heartbeat(heartbeat(b, "db-2", Map.of("environment", "prod", "datacenter", "us")));
        stub.heartbeat(heartbeat(c, "db-3", Map.of("environment", "staging", "datacenter", "eu")));
        stub.decommissionHost(DecommissionHostRequest.newBuilder().setHostId(c).build());

        assertEquals(List.of("db-1", "db-2"), names(stub.listHosts(ListHostsRequest.newBuilder()
                .putLabels("environment", "prod").build())));
        assertEquals(List.of("db-1"), names(stub.listHosts(ListHostsRequest.newBuilder()
                .putLabels("environment", "prod").putLabels("datacenter", "eu").build())));
        assertEquals(List.of("db-3"), names(stub.listHosts(ListHostsRequest.newBuilder()
                .setStatus(HostStatus.HOST_STATUS_DECOMMISSIONED).build())));
        assertEquals(List.of("db-1", "db-2"), names(stub.listHosts(ListHostsRequest.newBuilder()
                .setStatus(HostStatus.HOST_STATUS_ACTIVE).build())));

        JsonPath body = given().header("x-tidemark-tenant", tenant).queryParam("status", "active")
                .queryParam("label", "datacenter=eu").when().get("/api/v1/hosts").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("success", body.getString("status"));
        assertEquals(List.of("db-1"), body.getList("data.hostname"));
        assertEquals(a, body.getString("data[0].host_id"));
        assertEquals("prod", body.getString("data[0].environment"));
        assertEquals("eu", body.getString("data[0].tags.datacenter"));
        assertEquals("active", body.getString("data[0].status"));
        assertEquals(List.of("db-1", "db-2", "db-3"), given().header("x-tidemark-tenant", tenant).when()
                .get("/api/v1/hosts").then().statusCode(200).extract().jsonPath().getList("data.hostname"));
    }

    @Test
    void silentHostBecomesInactiveAndItsUpSeriesTurnsZero() {
        String tenant = "hosts-inactive";
        var stub = hosts(tenant);
        String quiet = UUID.randomUUID().toString();
        String alive = UUID.randomUUID().toString();
        stub.heartbeat(heartbeat(quiet, "quiet-1", Map.of()));
        stub.heartbeat(heartbeat(alive, "alive-1", Map.of()));
        // the last heartbeat was 6 minutes ago; the threshold is 5
        Db.execute("UPDATE hosts SET last_seen = now() - interval '6 minutes' WHERE host_id = ?", UUID.fromString(quiet));

        List<Host> turned = job.runOnce(Instant.now()).await().atMost(Duration.ofSeconds(30));
        assertTrue(turned.stream().anyMatch(h -> h.hostId().toString().equals(quiet)), "quiet-1 turned inactive");
        assertTrue(turned.stream().noneMatch(h -> h.hostId().toString().equals(alive)));
        assertEquals(List.of("quiet-1"), names(stub.listHosts(ListHostsRequest.newBuilder()
                .setStatus(HostStatus.HOST_STATUS_INACTIVE).build())));
        assertEquals(0.0, latestUp(tenant, "quiet-1"));
        assertEquals(1.0, latestUp(tenant, "alive-1"));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tidemark_host_up{host=\"quiet-1\",tenant=\"hosts-inactive\"} 0.0"), metrics);
        assertTrue(metrics.contains("tidemark_host_up{host=\"alive-1\",tenant=\"hosts-inactive\"} 1.0"));

        // a heartbeat brings it back
        stub.heartbeat(heartbeat(quiet, "quiet-1", Map.of()));
        job.runOnce(Instant.now().plusMillis(5)).await().atMost(Duration.ofSeconds(30));
        assertEquals(1.0, latestUp(tenant, "quiet-1"));

        // decommissioned: no longer published, gone from /q/metrics
        stub.decommissionHost(DecommissionHostRequest.newBuilder().setHostId(quiet).build());
        long samples = Db.count("SELECT count(*) FROM samples s JOIN series r ON r.id = s.series_id WHERE r.tenant = ?"
                + " AND r.name = 'tidemark_host_up' AND r.labels->>'host' = 'quiet-1'", tenant);
        job.runOnce(Instant.now().plusMillis(10)).await().atMost(Duration.ofSeconds(30));
        assertEquals(samples, Db.count("SELECT count(*) FROM samples s JOIN series r ON r.id = s.series_id"
                + " WHERE r.tenant = ? AND r.name = 'tidemark_host_up' AND r.labels->>'host' = 'quiet-1'", tenant));
        String after = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(!after.contains("tidemark_host_up{host=\"quiet-1\",tenant=\"hosts-inactive\"}"), "gauge removed");
    }

    @Test
    void hostnameOfAnActiveHostIsRefusedButAnInactiveOnesPassesOn() {
        String tenant = "hosts-hostname";
        var stub = hosts(tenant);
        String old = UUID.randomUUID().toString();
        String reinstalled = UUID.randomUUID().toString();
        stub.heartbeat(heartbeat(old, "app-1", Map.of()));
        StatusRuntimeException taken = assertThrows(StatusRuntimeException.class,
                () -> stub.heartbeat(heartbeat(reinstalled, "app-1", Map.of())));
        assertEquals(Status.Code.ALREADY_EXISTS, taken.getStatus().getCode());
        assertTrue(taken.getStatus().getDescription().contains(old), taken.getStatus().getDescription());

        Db.execute("UPDATE hosts SET status = 'inactive' WHERE host_id = ?", UUID.fromString(old));
        stub.heartbeat(heartbeat(reinstalled, "app-1", Map.of()));
        ListHostsResponse listed = stub.listHosts(ListHostsRequest.getDefaultInstance());
        assertEquals(1, listed.getHostsCount());
        assertEquals(reinstalled, listed.getHosts(0).getHostId());
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        var stub = hosts("hosts-bad");
        assertInvalid(() -> stub.heartbeat(heartbeat("not-a-uuid", "h", Map.of())), "host_id");
        assertInvalid(() -> stub.heartbeat(heartbeat(UUID.randomUUID().toString(), "", Map.of())), "hostname");
        assertInvalid(() -> stub.heartbeat(heartbeat(UUID.randomUUID().toString(), "h", Map.of("bad-name", "x"))),
                "labels[bad-name]");
        assertInvalid(() -> stub.heartbeat(heartbeat(UUID.randomUUID().toString(), "h",
                Map.of("environment", "x".repeat(51)))), "labels[environment]");
        assertInvalid(() -> stub.listHosts(ListHostsRequest.newBuilder().putLabels("9x", "y").build()), "labels[9x]");
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> stub.decommissionHost(
                DecommissionHostRequest.newBuilder().setHostId(UUID.randomUUID().toString()).build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());

        JsonPath error = given().queryParam("status", "sleeping").when().get("/api/v1/hosts").then().statusCode(400)
                .extract().jsonPath();
        assertEquals("error", error.getString("status"));
        assertEquals("bad_data", error.getString("errorType"));
        assertTrue(error.getString("error").startsWith("status: "), error.getString("error"));
        assertTrue(given().queryParam("label", "novalue").when().get("/api/v1/hosts").then().statusCode(400).extract()
                .jsonPath().getString("error").startsWith("label: "));
        assertEquals(404, given().when().post("/api/v1/hosts/" + UUID.randomUUID() + "/decommission").then().extract()
                .statusCode());
        assertEquals(400, given().when().post("/api/v1/hosts/xyz/decommission").then().extract().statusCode());
    }

    private static void assertInvalid(Runnable call, String field) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.toString());
        assertTrue(e.getStatus().getDescription().startsWith(field + ": "), e.getStatus().getDescription());
    }

    private static List<String> names(ListHostsResponse response) {
        return response.getHostsList().stream().map(io.tidemark.proto.v1.Host::getHostname).toList();
    }

    private static double latestUp(String tenant, String host) {
        try (var c = Db.connect(); var st = c.prepareStatement("SELECT s.value FROM samples s JOIN series r"
                + " ON r.id = s.series_id WHERE r.tenant = ? AND r.name = 'tidemark_host_up' AND r.labels->>'host' = ?"
                + " ORDER BY s.ts DESC LIMIT 1")) {
            st.setString(1, tenant);
            st.setString(2, host);
            try (var rs = st.executeQuery()) {
                assertTrue(rs.next(), "a tidemark_host_up sample for " + host);
                return rs.getDouble(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
