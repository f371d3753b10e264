package io.tidemark.remote;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tidemark.promql.eval.StaleNaN;
import io.tidemark.remote.proto.Label;
import io.tidemark.remote.proto.LabelMatcher;
import io.tidemark.remote.proto.MetricMetadata;
import io.tidemark.remote.proto.Query;
import io.tidemark.remote.proto.ReadRequest;
import io.tidemark.remote.proto.ReadResponse;
import io.tidemark.remote.proto.Sample;
import io.tidemark.remote.proto.TimeSeries;
import io.tidemark.remote.proto.WriteRequest;
import io.tidemark.sketch.DDSketch;
import io.tidemark.testing.Db;
import io.tidemark.testing.TestClock;
import io.tidemark.testing.TidemarkTestResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Remote write 1.0 and remote read against the running service, over HTTP as a Prometheus would call them. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class RemoteWriteReadTest {

    private static final long NOW = System.currentTimeMillis() / 1000 * 1000;

    static TimeSeries series(String name, List<String> labelPairs, long[] ts, double[] values) {
        TimeSeries.Builder b = TimeSeries.newBuilder().addLabels(label("__name__", name));
        for (int i = 0; i < labelPairs.size(); i += 2) {
            b.addLabels(label(labelPairs.get(i), labelPairs.get(i + 1)));
        }
        for (int i = 0; i < ts.length; i++) {
            b.addSamples(Sample.newBuilder().setTimestamp(ts[i]).setValue(values[i]));
        }
        return b.build();
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    static Response write(String tenant, WriteRequest request) {
        return given().header("x-tidemark-tenant", tenant).contentType("application/x-protobuf")
                .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .body(Snappy.compress(request.toByteArray()))
                .when().post("/api/v1/write");
    }

    static ReadResponse read(String tenant, ReadRequest request) throws Exception {
        Response r = given().header("x-tidemark-tenant", tenant).contentType("application/x-protobuf")
                .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Read-Version", "0.1.0")
                .body(Snappy.compress(request.toByteArray()))
                .when().post("/api/v1/read");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("snappy", r.header("Content-Encoding"));
        byte[] body = r.asByteArray();
        return ReadResponse.parseFrom(Snappy.decompress(body, 64 << 20));
    }

    private static Query query(long start, long end, LabelMatcher... matchers) {
        return Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end).addAllMatchers(List.of(matchers))
                .build();
    }

    private static LabelMatcher matcher(LabelMatcher.Type type, String name, String value) {
        return LabelMatcher.newBuilder().setType(type).setName(name).setValue(value).build();
    }

    @Test
    void writtenSamplesComeBackThroughRemoteReadWithStalenessMarkersKeptApartFromNaN() throws Exception {
        String tenant = "rw-roundtrip";
        long[] ts = { NOW - 30_000, NOW - 20_000, NOW - 10_000, NOW };
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("rw_requests_total", List.of("job", "api", "instance", "a:9100"), ts,
                        new double[] { 1, 2, Double.NaN, StaleNaN.VALUE }))
                .addTimeseries(series("rw_requests_total", List.of("job", "web", "instance", "b:9100"), ts,
                        new double[] { 5, 6, 7, 8 }))
                .addMetadata(MetricMetadata.newBuilder().setMetricFamilyName("rw_requests_total")
                        .setType(MetricMetadata.MetricType.COUNTER).setHelp("Requests served.").setUnit(""))
                .build();
        write(tenant, request).then().statusCode(204);

        ReadResponse response = read(tenant, ReadRequest.newBuilder()
                .addQueries(query(NOW - 60_000, NOW, matcher(LabelMatcher.Type.EQ, "__name__", "rw_requests_total"),
                        matcher(LabelMatcher.Type.RE, "job", "ap.")))
                .addQueries(query(NOW - 15_000, NOW, matcher(LabelMatcher.Type.NRE, "job", "api|db"),
                        matcher(LabelMatcher.Type.EQ, "__name__", "rw_requests_total")))
                .build());
        assertEquals(2, response.getResultsCount());
        TimeSeries api = response.getResults(0).getTimeseries(0);
        assertEquals(1, response.getResults(0).getTimeseriesCount());
        assertEquals(List.of(label("__name__", "rw_requests_total"), label("instance", "a:9100"), label("job", "api")),
                api.getLabelsList());
        assertEquals(4, api.getSamplesCount());
        assertEquals(ts[0], api.getSamples(0).getTimestamp());
        assertEquals(1.0, api.getSamples(0).getValue());
        double nan = api.getSamples(2).getValue();
        double stale = api.getSamples(3).getValue();
        assertTrue(Double.isNaN(nan) && !StaleNaN.is(nan), "an ordinary NaN stays an ordinary NaN");
        assertTrue(StaleNaN.is(stale), "the staleness marker keeps its bits: " + Long.toHexString(
                Double.doubleToRawLongBits(stale)));

        TimeSeries web = response.getResults(1).getTimeseries(0);
        assertEquals(1, response.getResults(1).getTimeseriesCount());
        assertEquals("web", web.getLabelsList().stream().filter(l -> l.getName().equals("job")).findFirst()
                .orElseThrow().getValue());
        assertEquals(List.of(NOW - 10_000, NOW), web.getSamplesList().stream().map(Sample::getTimestamp).toList());

        assertEquals(1, Db.count("SELECT count(*) FROM metric_metadata WHERE tenant = ? AND name = ? AND type = 'counter'"
                + " AND help = 'Requests served.'", tenant, "rw_requests_total"));
    }

    @Test
    void aResentRequestStoresEachSampleOnce() {
        String tenant = "rw-idempotent";
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("rw_resent", List.of("host", "h1"), new long[] { NOW - 2000, NOW - 1000 },
                        new double[] { 1, 2 }))
                .build();
        write(tenant, request).then().statusCode(204);
        write(tenant, request).then().statusCode(204);
        assertEquals(2, Db.samplesOf(tenant, "rw_resent"));
    }

    @Test
    void badSamplesGetA400NamingThemWhileTheGoodOnesAreStored() {
        String tenant = "rw-partial";
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("rw_good", List.of("host", "h1"), new long[] { NOW }, new double[] { 1 }))
                .addTimeseries(series("rw bad name", List.of("host", "h1"), new long[] { NOW }, new double[] { 1 }))
                .addTimeseries(series("rw_future", List.of("host", "h1"), new long[] { NOW + 3_600_000 },
                        new double[] { 1 }))
                .build();
        write(tenant, request).then().statusCode(400)
                .body(containsString("2 samples were rejected, 1 stored"))
                .body(containsString("series[1]"))
                .body(containsString("invalid_name"))
                .body(containsString("series[2].samples[0].timestamp"));
        assertEquals(1, Db.samplesOf(tenant, "rw_good"));
        assertEquals(0, Db.samplesOf(tenant, "rw_future"));
    }

    @Test
    void malformedBodiesAndOtherProtocolVersionsAreRefusedWithoutRetry() {
        given().contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                // a header claiming 16 MiB + 1 decompressed: refused before anything is allocated
                .body(new byte[] { (byte) 0x81, (byte) 0x80, (byte) 0x80, 0x08, 0, 1, 2 })
                .when().post("/api/v1/write").then().statusCode(413).body(containsString("16777217 bytes"));
        given().contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                .body(Snappy.compress(new byte[] { 0x0a, 0x7f, 0x01 }))
                .when().post("/api/v1/write").then().statusCode(400)
                .body(containsString("not a remote-write WriteRequest"));
        given().contentType("application/x-protobuf").header("Content-Encoding", "gzip").body(new byte[] { 1 })
                .when().post("/api/v1/write").then().statusCode(415);
        given().contentType("application/x-protobuf;proto=io.prometheus.write.v2.Request")
                .header("Content-Encoding", "snappy").body(Snappy.compress(new byte[0]))
                .when().post("/api/v1/write").then().statusCode(415).body(containsString("remote write 1.0"));
    }

    @Test
    void remoteReadRefusesWhatItCannotServe() throws Exception {
        ReadRequest chunksOnly = ReadRequest.newBuilder()
                .addQueries(query(NOW - 1000, NOW, matcher(LabelMatcher.Type.EQ, "__name__", "x")))
                .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS).build();
        given().contentType("application/x-protobuf").body(Snappy.compress(chunksOnly.toByteArray()))
                .when().post("/api/v1/read").then().statusCode(400).body(containsString("only SAMPLES"));
        ReadRequest badRegex = ReadRequest.newBuilder()
                .addQueries(query(NOW - 1000, NOW, matcher(LabelMatcher.Type.RE, "job", "(unclosed"))).build();
        given().contentType("application/x-protobuf").body(Snappy.compress(badRegex.toByteArray()))
                .when().post("/api/v1/read").then().statusCode(400)
                .body(containsString("queries[0].matchers[0].value"));
        ReadRequest matchesEverything = ReadRequest.newBuilder()
                .addQueries(query(NOW - 1000, NOW, matcher(LabelMatcher.Type.RE, "job", ".*"))).build();
        given().contentType("application/x-protobuf").body(Snappy.compress(matchesEverything.toByteArray()))
                .when().post("/api/v1/read").then().statusCode(400).body(containsString("empty string"));
    }

    @Test
    void tenantsDoNotSeeEachOthersSeries() throws Exception {
        write("rw-tenant-a", WriteRequest.newBuilder()
                .addTimeseries(series("rw_private", List.of(), new long[] { NOW }, new double[] { 1 })).build())
                .then().statusCode(204);
        ReadResponse other = read("rw-tenant-b", ReadRequest.newBuilder()
                .addQueries(query(NOW - 1000, NOW, matcher(LabelMatcher.Type.EQ, "__name__", "rw_private"))).build());
        assertEquals(0, other.getResults(0).getTimeseriesCount());
    }

    @Test
    void olderThanTheRawRetentionReadsTheMinuteTiersLastValues() throws Exception {
        String tenant = "rw-tier";
        long minute = (NOW - 2 * 86_400_000L) / 60_000 * 60_000;
        long[] ts = { minute + 10_000, minute + 40_000, minute + 70_000 };
        write(tenant, WriteRequest.newBuilder()
                .addTimeseries(series("rw_old", List.of("host", "h1"), ts, new double[] { 1, 2, 3 })).build())
                .then().statusCode(204);
        // the 1m tier rows the rollup job would write (written here: running the job would move the shared
        // rollup progress under the other test classes' feet)
        long id = Db.count("SELECT id FROM series WHERE tenant = ? AND name = 'rw_old'", tenant);
        long day = Math.floorDiv(minute, 86_400_000L) * 86_400_000L;
        Db.execute("CREATE TABLE IF NOT EXISTS rollups_1m_" + java.time.LocalDate.ofEpochDay(day / 86_400_000L)
                .format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + " PARTITION OF rollups_1m FOR VALUES FROM ("
                + day + ") TO (" + (day + 86_400_000L) + ")");
        DDSketch first = new DDSketch();
        first.add(1);
        first.add(2);
        DDSketch second = new DDSketch();
        second.add(3);
        Db.execute("INSERT INTO rollups_1m (series_id, bucket, count, sum, min, max, last, sketch) VALUES"
                + " (?, ?, 2, 3, 1, 2, 2, ?), (?, ?, 1, 3, 3, 3, 3, ?)",
                id, minute, first.toBytes(), id, minute + 60_000, second.toBytes());
        ReadRequest request = ReadRequest.newBuilder()
                .addQueries(query(minute, minute + 120_000, matcher(LabelMatcher.Type.EQ, "__name__", "rw_old"))).build();
        assertEquals(List.of(ts[0], ts[1], ts[2]), read(tenant, request).getResults(0).getTimeseries(0).getSamplesList()
                .stream().map(Sample::getTimestamp).toList(), "raw samples while they are within the raw retention");
        // 14 days later the raw retention (15 d) no longer covers them: one sample per minute, its last value
        TestClock.INSTANCE.shift(14 * 86_400_000L);
        try {
            TimeSeries old = read(tenant, request).getResults(0).getTimeseries(0);
            assertEquals(List.of(minute + 59_999, minute + 119_999),
                    old.getSamplesList().stream().map(Sample::getTimestamp).toList());
            assertEquals(List.of(2.0, 3.0), old.getSamplesList().stream().map(Sample::getValue).toList());
        } finally {
            TestClock.INSTANCE.reset();
        }
    }
}
