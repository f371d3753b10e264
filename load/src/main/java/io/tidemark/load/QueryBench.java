package io.tidemark.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.LabelMatcher;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.Selector;
import io.tidemark.proto.v1.SeriesAggregation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The W1 queries through QueryService.Range, timed like ../shared/bench does for the other systems: one first
 * (cold) run, then 5 back-to-back runs, median reported; the full answer is read each time. Between them, 20
 * untimed runs warm this client's JVM, so the median measures the server, not an interpreted gRPC client.
 * Q1: node_metric_037{host="host-0123"}, whole range, raw points (10 s buckets, one sample each).
 * Q2: node_metric_037 over all hosts, average per region per 1-minute bucket.
 * With a Redis address, Tidemark's cache is emptied (FLUSHALL) before every cold run, and Q2 is also timed as a
 * dashboard refresh: the window moved on by one bucket after the previous window was answered (warm cache).
 */
final class QueryBench {

    private QueryBench() {
    }

    /** {@code query TARGET START_MS ROUNDS [REDIS_HOST:PORT]}; prints one JSON line. */
    static int run(List<String> args) throws Exception {
        String[] target = args.get(1).split(":");
        long start = Long.parseLong(args.get(2));
        long end = start + Long.parseLong(args.get(3)) * 10_000L - 1;
        String redis = args.size() > 4 ? args.get(4) : null;
        ManagedChannel channel = NettyChannelBuilder.forAddress(target[0], Integer.parseInt(target[1])).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        try {
            QueryServiceGrpc.QueryServiceBlockingStub stub = QueryServiceGrpc.newBlockingStub(channel);
            RangeRequest q1 = RangeRequest.newBuilder()
                    .setSelector(Selector.newBuilder().setMetric("node_metric_037").addMatchers(LabelMatcher.newBuilder()
                            .setName("host").setType(LabelMatcher.Type.TYPE_EQUAL).setValue("host-0123")))
                    .setStartMs(start).setEndMs(end).setStepMs(10_000)
                    .setOverTime(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_LAST)).build();
            RangeRequest q2 = RangeRequest.newBuilder()
                    .setSelector(Selector.newBuilder().setMetric("node_metric_037"))
                    .setStartMs(start).setEndMs(end).setStepMs(60_000)
                    .setOverTime(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_AVG))
                    .setAcross(SeriesAggregation.newBuilder().addGroupBy("region")
                            .setAggregation(Aggregation.newBuilder().setFunction(Aggregation.Function.FUNCTION_AVG)))
                    .build();
            String q1Cold = time(stub, q1, redis);
            String q2Cold = time(stub, q2, redis);
            String q2Warm = redis == null ? "null" : refresh(stub, q2, redis);
            System.out.println("{\"q1\":" + q1Cold + ",\"q2\":" + q2Cold + ",\"q2_refresh\":" + q2Warm + "}");
            return 0;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Cold: the cache (if any) is emptied before each timed run. */
    private static String time(QueryServiceGrpc.QueryServiceBlockingStub stub, RangeRequest request, String redis)
            throws IOException {
        List<Double> ms = new ArrayList<>();
        int points = 0;
        for (int run = 0; run < 6; run++) {
            if (run == 1) {
                for (int warm = 0; warm < 20; warm++) {
                    flush(redis);
                    read(stub, request);
                }
            }
            flush(redis);
            long t0 = System.nanoTime();
            points = read(stub, request);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return summary(points, ms);
    }

    /**
     * A dashboard refresh: the window [start + i·step, end − (5 − i)·step] after the one a bucket earlier was
     * answered, so each timed run finds every bucket but the newest (and any still open) in the cache.
     */
    private static String refresh(QueryServiceGrpc.QueryServiceBlockingStub stub, RangeRequest q2, String redis)
            throws IOException {
        long step = q2.getStepMs();
        for (int warm = 0; warm < 20; warm++) { // the client's JVM, on another shape of window
            read(stub, q2.toBuilder().setStartMs(q2.getStartMs() + step / 2).build());
        }
        flush(redis);
        List<Double> ms = new ArrayList<>();
        int points = 0;
        for (int i = 0; i < 6; i++) {
            RangeRequest window = q2.toBuilder().setStartMs(q2.getStartMs() + i * step)
                    .setEndMs(q2.getEndMs() - (5 - i) * step).build();
            long t0 = System.nanoTime();
            points = read(stub, window);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return summary(points, ms);
    }

    private static int read(QueryServiceGrpc.QueryServiceBlockingStub stub, RangeRequest request) {
        int[] counted = { 0 };
        stub.withDeadlineAfter(60, TimeUnit.SECONDS).range(request).forEachRemaining(r -> r.getSeriesList()
                .forEach(s -> counted[0] += s.getPointsCount()));
        return counted[0];
    }

    /** The first run, then the median of the other 5. */
    private static String summary(int points, List<Double> ms) {
        List<Double> timed = new ArrayList<>(ms.subList(1, ms.size()));
        timed.sort(null);
        return String.format(Locale.ROOT, "{\"points\": %d, \"first_ms\": %.2f, \"ms\": %s, \"median_ms\": %.2f}", points,
                ms.get(0), timed.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), timed.get(2));
    }

    /** FLUSHALL over a plain socket (RESP), so the bench needs no Redis client. */
    private static void flush(String redis) throws IOException {
        if (redis == null) {
            return;
        }
        String[] hostPort = redis.split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.getOutputStream().write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            if (!"+OK".equals(reply)) {
                throw new IOException("FLUSHALL answered " + reply);
            }
        }
    }
}
