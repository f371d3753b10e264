package io.tidemark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:05Z");

    private static RunReport run(FakeIngestServer server, String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of("--target", server.target()));
        all.addAll(List.of(args));
        LoadOptions options = LoadOptions.parse(all, NOW);
        return new FleetSimulator(options, new PrintStream(new ByteArrayOutputStream())).run();
    }

    @Test
    void everyBatchIsAckedDespiteOutOfOrderAcksAndTheWindowHolds() throws Exception {
        FakeIngestServer.Behaviour eagerReader = new FakeIngestServer.Behaviour();
        eagerReader.commitSlots = 0; // reads everything it gets: only the client's window limits it
        eagerReader.maxDelayMs = 10;
        try (FakeIngestServer server = new FakeIngestServer(eagerReader)) {
            RunReport report = run(server, "--hosts", "50", "--metrics", "20", "--rounds", "6", "--batch-hosts", "4",
                    "--streams", "3", "--window", "3", "--tenant", "acme");

            assertTrue(report.ok(), report::toText);
            long samples = 50 * 20 * 6;
            assertEquals(6 * 13, report.batchesPlanned());
            assertEquals(report.batchesPlanned(), report.batchesAcked());
            assertEquals(samples, report.samplesSent());
            assertEquals(samples, report.samplesAccepted());
            assertEquals(samples, server.samplesReceived.get());
            assertEquals(report.batchesAcked(), report.ackLatency().count());
            assertTrue(report.ackLatency().p50Ms() <= report.ackLatency().maxMs());
            assertEquals(3, server.streamsOpened.get());
            assertTrue(server.maxUnackedPerStream.get() <= 3, "window exceeded: " + server.maxUnackedPerStream);
            assertEquals(java.util.Set.of("acme"), server.tenants);
            assertEquals(6, server.timestamps.size());
            assertTrue(report.toJson().contains("\"ok\": true"));
        }
    }

    @Test
    void aServerThatReadsSlowlyPausesTheClientThroughFlowControl() throws Exception {
        FakeIngestServer.Behaviour oneAtATime = new FakeIngestServer.Behaviour();
        oneAtATime.commitSlots = 1;
        try (FakeIngestServer server = new FakeIngestServer(oneAtATime)) {
            // ~400 KB batches overflow the transport's buffers, so isReady() turns false.
            RunReport report = run(server, "--hosts", "40", "--metrics", "500", "--rounds", "2", "--batch-hosts", "10",
                    "--streams", "1", "--window", "8");

            assertTrue(report.ok(), report::toText);
            assertEquals(40 * 500 * 2, report.samplesAccepted());
            assertTrue(report.flowControlPauses() > 0, report::toText);
        }
    }

    @Test
    void rejectionsAreCountedAndShownButDoNotFailTheRun() throws Exception {
        FakeIngestServer.Behaviour rejecting = new FakeIngestServer.Behaviour();
        rejecting.rejectFirstSeries = true;
        try (FakeIngestServer server = new FakeIngestServer(rejecting)) {
            RunReport report = run(server, "--hosts", "10", "--metrics", "10", "--rounds", "3", "--batch-hosts", "2");

            assertTrue(report.ok(), report::toText);
            assertEquals(15, report.samplesRejected());
            assertEquals(300 - 15, report.samplesAccepted());
            assertEquals(5, report.firstRejections().size());
            assertTrue(report.toText().contains("[too_old]: fake rejection of sequence"), report::toText);
        }
    }

    @Test
    void aStreamErrorFailsTheRunAndCountsWhatWasLeft() throws Exception {
        FakeIngestServer.Behaviour failing = new FakeIngestServer.Behaviour();
        failing.failAfterAcks = 2;
        try (FakeIngestServer server = new FakeIngestServer(failing)) {
            RunReport report = run(server, "--hosts", "20", "--metrics", "10", "--rounds", "10", "--batch-hosts", "2",
                    "--streams", "1", "--window", "4");

            assertFalse(report.ok());
            assertEquals(2, report.batchesAcked());
            assertEquals(report.batchesPlanned(), report.batchesAcked() + report.batchesUnacked() + report.batchesNeverSent());
            assertTrue(report.batchesUnacked() > 0);
            assertTrue(report.toText().contains("FAILED       stream 1: UNAVAILABLE: fake server going away"),
                    report::toText);
        }
    }

    @Test
    void batchesThatAreNeverAckedTimeOut() throws Exception {
        FakeIngestServer.Behaviour silent = new FakeIngestServer.Behaviour();
        silent.neverAck = true;
        try (FakeIngestServer server = new FakeIngestServer(silent)) {
            RunReport report = run(server, "--hosts", "4", "--metrics", "5", "--rounds", "3", "--batch-hosts", "2",
                    "--ack-timeout", "300ms");

            assertFalse(report.ok());
            assertEquals(0, report.batchesAcked());
            assertTrue(report.failures().get(0).contains("unacknowledged for more than 300ms"), report::toText);
        }
    }

    @Test
    void anUnreachableServerIsReportedClearly() throws Exception {
        LoadOptions options = LoadOptions.parse(List.of("--target", "127.0.0.1:1", "--hosts", "2", "--rounds", "1"), NOW);
        RunReport report = new FleetSimulator(options, new PrintStream(new ByteArrayOutputStream())).run();

        assertFalse(report.ok());
        assertTrue(report.failures().get(0).startsWith("stream 1: UNAVAILABLE"), report::toText);
        assertEquals(report.batchesPlanned(), report.batchesNeverSent());
    }
}
