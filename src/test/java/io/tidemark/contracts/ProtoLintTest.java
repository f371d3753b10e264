package io.tidemark.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contracts in proto/ stay `buf lint` clean (buf from the npm registry, pinned). */
class ProtoLintTest {

    static final String BUF = "@bufbuild/buf@1.75.0";

    @Test
    void protoContractsAreBufLintClean() throws IOException, InterruptedException {
        Path log = Files.createTempFile("buf-lint", ".log");
        Process buf = new ProcessBuilder("npx", "-y", BUF, "lint").directory(Path.of(".").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(buf.waitFor(5, TimeUnit.MINUTES), "buf lint did not finish in 5 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("npm warn")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(0, buf.exitValue(), "buf lint found problems:\n" + output);
        assertEquals("", output.strip(), "buf lint printed:\n" + output);
    }
}
