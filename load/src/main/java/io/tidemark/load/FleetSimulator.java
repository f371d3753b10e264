package io.tidemark.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs one simulation: builds the fleet's batches, pushes them over the streams, and reports. */
final class FleetSimulator {

    /** Rough heap cost of one encoded, not yet sent sample: ~94 bytes on the wire for a series with 3 labels. */
    static final long HEAP_BYTES_PER_BUILT_SAMPLE = 100;
    /** An ack listing a rejection for each of a large batch's samples can exceed gRPC's 4 MiB default. */
    private static final int MAX_ACK_BYTES = 64 * 1024 * 1024;
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LoadOptions options;
    private final PrintStream progress;

    FleetSimulator(LoadOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    RunReport run() throws InterruptedException {
        BatchSource source = new BatchSource((int) Math.min(Integer.MAX_VALUE,
                (long) prebuiltRounds() * options.batchesPerRound()));
        BatchFactory factory = new BatchFactory(new FleetCatalog(options.hosts(), options.metrics()),
                options.batchHosts(), options.startMs());
        RoundProducer producer = new RoundProducer(factory, source, options.rounds(), options.interval());
        CountDownLatch allFinished = new CountDownLatch(options.streams());
        List<ManagedChannel> channels = new ArrayList<>();
        List<PushStream> streams = new ArrayList<>();
        try {
            for (int i = 1; i <= options.streams(); i++) {
                ManagedChannel channel = NettyChannelBuilder.forAddress(options.host(), options.port())
                        .usePlaintext()
                        .maxInboundMessageSize(MAX_ACK_BYTES)
                        .build();
                channels.add(channel);
                streams.add(PushStream.open(i, channel, options.tenant(), source, options.window(), allFinished));
            }
            Thread producerThread = new Thread(producer, "round-producer");
            producerThread.setDaemon(true);
            producerThread.start();
            producer.awaitReady();

            ClientCost costAtStart = ClientCost.now();
            long clockStart = System.nanoTime();
            producer.startClock(clockStart);
            streams.forEach(PushStream::start);
            awaitStreams(streams, allFinished, source, clockStart);
            // A stream that failed before the clock started finished before it too.
            long clockEnd = Math.max(clockStart, streams.stream().mapToLong(PushStream::finishedNanos).max().orElse(0));
            ClientCost cost = ClientCost.now().since(costAtStart);

            producerThread.join(TimeUnit.SECONDS.toMillis(10));
            List<StreamResult> results = streams.stream().map(PushStream::result).toList();
            return RunReport.of(options, results, producer, clockEnd - clockStart, cost, source.abortReason());
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            for (ManagedChannel channel : channels) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Rounds that fit in half the heap before sending starts; the rest are built while sending. */
    private int prebuiltRounds() {
        long bytesPerRound = (long) options.hosts() * options.metrics() * HEAP_BYTES_PER_BUILT_SAMPLE;
        long fit = Runtime.getRuntime().maxMemory() / 2 / bytesPerRound;
        return (int) Math.max(1, Math.min(options.rounds(), fit));
    }

    private void awaitStreams(List<PushStream> streams, CountDownLatch allFinished, BatchSource source,
            long clockStart) throws InterruptedException {
        long ackTimeout = options.ackTimeout().toNanos();
        long nextProgress = clockStart + PROGRESS_EVERY_NANOS;
        while (!allFinished.await(200, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            for (PushStream stream : streams) {
                long oldest = stream.oldestInFlightNanos();
                if (oldest >= 0 && now - oldest > ackTimeout) {
                    String reason = "a batch stayed unacknowledged for more than "
                            + LoadOptions.format(options.ackTimeout()) + " (--ack-timeout)";
                    source.abort(reason);
                    streams.forEach(s -> s.cancel(reason));
                    break;
                }
            }
            if (now >= nextProgress) {
                printProgress(streams, now - clockStart);
                nextProgress += PROGRESS_EVERY_NANOS;
            }
        }
    }

    private void printProgress(List<PushStream> streams, long elapsedNanos) {
        long acked = 0;
        long rejected = 0;
        long inFlight = 0;
        for (PushStream stream : streams) {
            StreamResult r = stream.result();
            acked += r.samplesAcked();
            rejected += r.samplesRejected();
            inFlight += r.batchesUnacked();
        }
        double seconds = elapsedNanos / 1e9;
        progress.printf("[%5.0f s] %,d samples acknowledged (%,.0f/s), %,d rejected, %d batches in flight%n",
                seconds, acked, acked / seconds, rejected, inFlight);
    }
}
