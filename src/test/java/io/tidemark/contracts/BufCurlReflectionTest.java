package io.tidemark.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The getting-started guide's `buf curl` call, for real, through server reflection (no .proto files given). */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
class BufCurlReflectionTest {

    @Test
    void writeThroughReflection() throws Exception {
        long now = System.currentTimeMillis();
        String body = "{\"batch\":{\"series\":[{\"name\":\"bufcurl.metric\",\"labels\":{\"host\":\"web-1\"},"
                + "\"samples\":[{\"timestampMs\":\"" + now + "\",\"value\":42.5}]},"
                + "{\"name\":\"bad name\",\"samples\":[{\"timestampMs\":\"" + now + "\",\"value\":1}]}]}}";
        String out = bufCurl("-H", "x-tidemark-tenant: bufcurl", "-d", body,
                "http://127.0.0.1:" + GrpcTestClient.TEST_PORT + "/tidemark.v1.IngestService/Write");
        assertTrue(out.contains("\"accepted\": \"1\""), out);
        assertTrue(out.contains("\"field\": \"series[1].name\""), out);
        assertEquals(1, Db.samplesOf("bufcurl", "bufcurl.metric"));

        String range = bufCurl("-H", "x-tidemark-tenant: bufcurl", "-d", "{\"selector\":{\"metric\":\"bufcurl.metric\","
                + "\"matchers\":[{\"name\":\"host\",\"type\":\"TYPE_EQUAL\",\"value\":\"web-1\"}]},"
                + "\"startMs\":\"" + (now - 3_600_000) + "\",\"endMs\":\"" + now + "\",\"stepMs\":\"60000\","
                + "\"overTime\":{\"function\":\"FUNCTION_AVG\"}}",
                "http://127.0.0.1:" + GrpcTestClient.TEST_PORT + "/tidemark.v1.QueryService/Range");
        assertTrue(range.contains("\"value\": 42.5"), range);
        assertTrue(range.contains("\"host\": \"web-1\""), range);
    }

    private static String bufCurl(String... args) throws Exception {
        Path output = Files.createTempFile("buf-curl", ".out");
        List<String> command = new java.util.ArrayList<>(List.of("npx", "-y", ProtoLintTest.BUF, "curl", "--protocol", "grpc",
                "--http2-prior-knowledge"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "buf curl did not finish");
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
