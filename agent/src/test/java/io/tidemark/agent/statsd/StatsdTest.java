package io.tidemark.agent.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.agent.Point;
import io.tidemark.agent.self.AgentStats;
import io.tidemark.proto.v1.MetricType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** StatsD over real UDP: counters, gauges, timers, sets, sample rates and DogStatsD tags, aggregated per flush. */
class StatsdTest {

    private static Point one(List<Point> points, String name, Map<String, String> labels) {
        List<Point> found = points.stream().filter(p -> p.name().equals(name) && p.labels().equals(labels)).toList();
        assertEquals(1, found.size(), name + labels + " in " + points);
        return found.get(0);
    }

    private static void send(DatagramSocket socket, int port, String payload) throws Exception {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private static void awaitLines(AgentStats stats, long packets) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (stats.statsdPackets.get() < packets && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50); // the last packet's lines are being added
        assertEquals(packets, stats.statsdPackets.get(), "packets received");
    }

    @Test
    void aggregatesEveryTypeReceivedOverUdp() throws Exception {
        AgentStats stats = new AgentStats();
        StatsdAggregator aggregator = new StatsdAggregator(1000, 300_000, List.of(0.5, 0.9, 1.0));
        try (StatsdListener listener = new StatsdListener("127.0.0.1", 0, aggregator, stats).start();
                DatagramSocket client = new DatagramSocket()) {
            int port = listener.port();
            send(client, port, "api.requests:1|c|#env:prod,region:eu");
            send(client, port, "api.requests:2|c|#region:eu,env:prod\napi.requests:1|c|@0.1|#env:prod,region:eu");
            send(client, port, "queue.depth:10|g\nqueue.depth:+5|g\nqueue.depth:-3|g");
            StringBuilder timings = new StringBuilder();
            for (int i = 1; i <= 100; i++) {
                timings.append("api.latency:").append(i).append("|ms\n");
            }
            send(client, port, timings.toString());
            send(client, port, "users.online:alice|s\nusers.online:bob|s\nusers.online:alice|s");
            send(client, port, "req.size:512|h|#service:checkout\nreq.size:1024|d|#service:checkout");
            send(client, port, "garbage line\nno.type:1\nbad.value:x|c\nweird:1|q");
            awaitLines(stats, 7);
            assertEquals(4, stats.statsdInvalid.get(), "4 invalid lines counted");

            List<Point> first = aggregator.flush(1000);
            Map<String, String> tags = Map.of("env", "prod", "region", "eu");
            Point requests = one(first, "api.requests", tags);
            assertEquals(1 + 2 + 10, requests.value(), 1e-9, "tag order does not matter; @0.1 counts 10");
            assertEquals(MetricType.METRIC_TYPE_COUNTER, requests.type());
            assertEquals(12, one(first, "queue.depth", Map.of()).value());
            assertEquals(50, one(first, "api.latency", Map.of("quantile", "0.5")).value());
            assertEquals(90, one(first, "api.latency", Map.of("quantile", "0.9")).value());
            assertEquals(100, one(first, "api.latency", Map.of("quantile", "1")).value());
            assertEquals(5050, one(first, "api.latency_sum", Map.of()).value());
            assertEquals(100, one(first, "api.latency_count", Map.of()).value());
            assertEquals(2, one(first, "users.online", Map.of()).value());
            assertEquals(1024, one(first, "req.size", Map.of("service", "checkout", "quantile", "1")).value());
            assertEquals(2, one(first, "req.size_count", Map.of("service", "checkout")).value());

            // the next flush: counters stay cumulative, gauges keep their value, timers and sets start over
            send(client, port, "api.requests:4|c|#env:prod,region:eu\napi.latency:7|ms");
            awaitLines(stats, 8);
            List<Point> second = aggregator.flush(2000);
            assertEquals(17, one(second, "api.requests", tags).value(), 1e-9);
            assertEquals(12, one(second, "queue.depth", Map.of()).value());
            assertEquals(7, one(second, "api.latency", Map.of("quantile", "0.5")).value());
            assertEquals(101, one(second, "api.latency_count", Map.of()).value());
            assertEquals(0, one(second, "users.online", Map.of()).value());
            assertEquals(2000, one(second, "api.requests", tags).timestampMs());
        }
    }

    @Test
    void seriesBeyondTheLimitAreDroppedAndIdleOnesForgotten() throws Exception {
        StatsdAggregator aggregator = new StatsdAggregator(2, 60_000, List.of(0.5));
        assertTrue(aggregator.add(StatsdLine.parse("a:1|c"), 0));
        assertTrue(aggregator.add(StatsdLine.parse("b:1|g"), 0));
        assertTrue(!aggregator.add(StatsdLine.parse("c:1|c"), 0), "a third series is over the limit");
        assertTrue(aggregator.add(StatsdLine.parse("a:1|c"), 50_000), "known series still count");
        assertEquals(1, aggregator.droppedLines());
        List<Point> later = aggregator.flush(100_000);
        assertEquals(List.of("a"), later.stream().map(Point::name).toList(), "b was idle for over a minute");
    }

    @Test
    void namesAndTagsAreSanitised() throws Exception {
        StatsdLine line = StatsdLine.parse("my-app.req/s:3|c|#host-name:web 1,flag");
        assertEquals("my_app.req_s", line.name());
        assertEquals(Map.of("host_name", "web 1", "flag", "true"), line.tags());
        StatsdLine.InvalidLineException e = assertThrows(StatsdLine.InvalidLineException.class,
                () -> StatsdLine.parse("x:1|c|@2"));
        assertTrue(e.getMessage().contains("sample rate"), e.getMessage());
    }
}
