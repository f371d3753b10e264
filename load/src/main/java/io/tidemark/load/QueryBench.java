package io.tidemark.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.tidemark.proto.v1.Aggregation;
import io.tidemark.proto.v1.LabelMatcher;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.Selector;
import io.tidemark.proto.v1.SeriesAggregation;
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
 */
final class QueryBench {

    private QueryBench() {
    }

    /** {@code query TARGET START_MS ROUNDS}; prints one JSON line. */
    static int run(List<String> args) throws InterruptedException {
        String[] target = args.get(1).split(":");
        long start = Long.parseLong(args.get(2));
        long end = start + Long.parseLong(args.get(3)) * 10_000L - 1;
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
            System.out.println("{\"q1\":" + time(stub, q1) + ",\"q2\":" + time(stub, q2) + "}");
            return 0;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static String time(QueryServiceGrpc.QueryServiceBlockingStub stub, RangeRequest request) {
        List<Double> ms = new ArrayList<>();
        int points = 0;
        for (int run = 0; run < 6; run++) {
            if (run == 1) {
                for (int warm = 0; warm < 20; warm++) {
                    stub.withDeadlineAfter(60, TimeUnit.SECONDS).range(request).forEachRemaining(r -> {
                    });
                }
            }
            long t0 = System.nanoTime();
            int[] counted = { 0 };
            stub.withDeadlineAfter(60, TimeUnit.SECONDS).range(request).forEachRemaining(r -> r.getSeriesList()
                    .forEach(s -> counted[0] += s.getPointsCount()));
            ms.add((System.nanoTime() - t0) / 1e6);
            points = counted[0];
        }
        List<Double> timed = new ArrayList<>(ms.subList(1, ms.size()));
        timed.sort(null);
        return String.format(Locale.ROOT, "{\"points\": %d, \"first_ms\": %.2f, \"ms\": %s, \"median_ms\": %.2f}", points,
                ms.get(0), timed.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), timed.get(2));
    }
}
