package io.tidemark.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented command: {@code java -jar tidemark-agent.jar --config FILE}, its exit codes and messages. */
class AgentCommandIT {

    @TempDir
    Path dir;

    private record Result(int exit, String output) {
    }

    private static Result run(String... args) throws Exception {
        String jar = System.getProperty("tidemark.it.agent-jar", "target/tidemark-agent.jar");
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = jar;
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), output);
    }

    @Test
    void anInvalidConfigurationExitsWithTwoNamingTheKey() throws Exception {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "collection:\n  interval: often\n");
        Result r = run("--config", config.toString());
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("collection.interval: \"often\" is not a duration"), r.output());

        Files.writeString(config, "buffering:\n  disk_path: " + dir.resolve("b") + "\nmetrics:\n  system:\n    cpuu: true\n");
        r = run("--config", config.toString());
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("metrics.system.cpuu: unknown key"), r.output());
    }

    @Test
    void checkValidatesWithoutStarting() throws Exception {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "collection:\n  interval: 10s\nendpoints:\n  primary: http://127.0.0.1:9000\n");
        Result r = run("--config", config.toString(), "--check");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("is valid"));
        assertEquals(2, run("--config").exit(), "a missing argument");
        assertEquals(2, run("--config", dir.resolve("missing.yaml").toString()).exit(), "a missing file");
        assertTrue(run("--version").output().startsWith("tidemark-agent "));
    }
}
