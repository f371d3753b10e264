package io.tidemark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:05.123Z");

    @Test
    void defaultsAreTheW1Shape() {
        LoadOptions o = LoadOptions.parse(List.of(), NOW);

        assertEquals("127.0.0.1", o.host());
        assertEquals(9000, o.port());
        assertEquals(1000, o.hosts());
        assertEquals(100, o.metrics());
        assertEquals(60, o.rounds());
        assertEquals(Duration.ZERO, o.interval());
        assertEquals(2, o.streams());
        assertEquals(8, o.window());
        assertEquals(100, o.batchHosts());
        assertEquals("default", o.tenant());
        assertEquals(Duration.ofSeconds(60), o.ackTimeout());
        assertNull(o.json());
        assertEquals(600, o.plannedBatches());
        assertEquals(6_000_000, o.plannedSamples());
        // now - 60 x 10 s = 11:50:05.123, rounded down to 10 s
        assertEquals(Instant.parse("2025-06-01T11:50:00Z").toEpochMilli(), o.startMs());
    }

    @Test
    void bothSpellingsAndEveryValueFormAreAccepted() {
        LoadOptions o = LoadOptions.parse(List.of("--target=[::1]:9100", "--interval", "10s", "--ack-timeout=500ms",
                "--start", "2025-01-01T00:00:00Z", "--json", "out.json", "--hosts", "7", "--batch-hosts", "3"), NOW);

        assertEquals("::1", o.host());
        assertEquals("[::1]:9100", o.target());
        assertEquals(Duration.ofSeconds(10), o.interval());
        assertEquals(Duration.ofMillis(500), o.ackTimeout());
        assertEquals(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli(), o.startMs());
        assertEquals(Path.of("out.json"), o.json());
        assertEquals(3, o.batchesPerRound());
        assertEquals(1234, LoadOptions.parse(List.of("--start", "1234"), NOW).startMs());
    }

    @Test
    void aLiveFleetStartsNowAndABenchmarkInThePast() {
        assertEquals(Instant.parse("2025-06-01T12:00:00Z").toEpochMilli(),
                LoadOptions.parse(List.of("--interval", "10s"), NOW).startMs());
        assertEquals(Instant.parse("2025-06-01T11:59:00Z").toEpochMilli(),
                LoadOptions.parse(List.of("--interval", "5s", "--rounds", "6"), NOW).startMs());
        assertEquals(Duration.ofMinutes(2), LoadOptions.duration("x", "PT2M"));
    }

    @Test
    void badInputIsAUsageError() {
        for (List<String> bad : List.of(List.of("--hosts", "0"), List.of("--nope", "1"), List.of("--rounds"),
                List.of("--interval", "10"), List.of("--target", "nowhere"), List.of("--start", "yesterday"),
                List.of("stray"))) {
            assertThrows(LoadOptions.UsageException.class, () -> LoadOptions.parse(bad, NOW), bad::toString);
        }
    }
}
