package io.tidemark.promql.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.promql.Call;
import io.tidemark.promql.Expr;
import io.tidemark.promql.ParenExpr;
import io.tidemark.promql.PromQLParser;
import io.tidemark.promql.diff.PromApiClient.Answer;
import io.tidemark.promql.diff.ResultComparator.Order;
import io.tidemark.remote.proto.WriteRequest;
import io.tidemark.testing.PrometheusServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the differential tests of one JVM share: the data (generated once, so its timestamps are the same for every
 * server), the Prometheus holding it, and the instant times and ranges every expression is asked at.
 */
final class DiffFixture {

    static final long SEED = 20_240_611L;
    static final String TENANT = "promql-diff";
    static final String EXPRESSIONS = "/promql-diff/expressions.promql";
    static final String ALLOW_LIST = "/promql-diff/known-differences.txt";
    private static final long MINUTE = DiffData.MINUTE;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static DiffData data;
    private static PromApiClient prometheus;

    private DiffFixture() {
    }

    /** The data, starting on the minute an hour ago, so all of it lies in the past and within every window. */
    static synchronized DiffData data() {
        if (data == null) {
            long t0 = (System.currentTimeMillis() - 60 * MINUTE) / MINUTE * MINUTE;
            data = DiffData.generate(SEED, t0);
        }
        return data;
    }

    /** The Prometheus holding {@link #data()}. */
    static synchronized PromApiClient prometheus() throws IOException, InterruptedException {
        if (prometheus == null) {
            PromApiClient client = new PromApiClient(PrometheusServer.get().baseUrl(), TENANT);
            writeAll(client, "prometheus");
            awaitAllVisible(client, "prometheus");
            prometheus = client;
        }
        return prometheus;
    }

    /** Sends the data in time order, 10 minutes per request; every request must be accepted whole. */
    static void writeAll(PromApiClient client, String who) throws IOException, InterruptedException {
        for (WriteRequest request : data().writeRequests(10 * MINUTE)) {
            Answer answer = client.write(request);
            if (answer.status() / 100 != 2) {
                throw new AssertionError(who + " refused remote write with " + answer.status() + ": " + answer.body());
            }
        }
    }

    /** Waits (up to 30 s) until the server returns every sample the data holds (staleness markers aside). */
    static void awaitAllVisible(PromApiClient client, String who) throws IOException, InterruptedException {
        QueryCall at = QueryCall.instant(QueryCall.seconds(data().t0() + 61 * MINUTE), false);
        long expected = data().visibleSampleCount();
        long deadline = System.nanoTime() + 30_000_000_000L;
        Answer answer = null;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            answer = client.query(at, "{__name__=~\".+\"}[2h]");
            if (answer.status() == 200) {
                seen = 0;
                for (JsonNode series : JSON.readTree(answer.body()).path("data").path("result")) {
                    seen += series.path("values").size();
                }
                if (seen == expected) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(who + " returns " + seen + " of the " + expected + " samples written: "
                + (answer == null ? "no answer" : answer.status() + " " + answer.body().substring(0,
                        Math.min(500, answer.body().length()))));
    }

    /**
     * Instant query times: on the minute, off the grid (RFC 3339), just after the data's end, in a gap, after the
     * lookback ran out, before the data's start, with a sub-millisecond fraction.
     */
    static List<QueryCall> instantCalls() {
        long t0 = data().t0();
        List<QueryCall> calls = new ArrayList<>();
        calls.add(QueryCall.instant(QueryCall.seconds(t0 + 30 * MINUTE), false));
        calls.add(QueryCall.instant(QueryCall.rfc3339(t0 + 47 * MINUTE + 12_345), true));
        calls.add(QueryCall.instant(QueryCall.seconds(t0 + 58 * MINUTE + 30_000), false));
        calls.add(QueryCall.instant(QueryCall.seconds(t0 + 12 * MINUTE + 34_567), true));
        calls.add(QueryCall.instant(QueryCall.seconds(t0 + 64 * MINUTE), false));
        calls.add(QueryCall.instant(QueryCall.seconds(t0 - MINUTE), true));
        // finer than a millisecond: Prometheus truncates to the millisecond
        calls.add(QueryCall.instant(QueryCall.seconds(t0 + 41 * MINUTE + 7_001) + "9", false));
        return calls;
    }

    /**
     * Range queries: the whole span at 15 s, an unaligned start with a 7 s step, 1 m in RFC 3339, a single point,
     * 1m30s, a fractional step.
     */
    static List<QueryCall> rangeCalls() {
        long t0 = data().t0();
        List<QueryCall> calls = new ArrayList<>();
        calls.add(QueryCall.range(QueryCall.seconds(t0 - 5 * MINUTE), QueryCall.seconds(t0 + 65 * MINUTE), "15s",
                true));
        calls.add(QueryCall.range(QueryCall.seconds(t0 + 10 * MINUTE + 500), QueryCall.seconds(t0 + 50 * MINUTE), "7",
                false));
        calls.add(QueryCall.range(QueryCall.rfc3339(t0), QueryCall.rfc3339(t0 + 60 * MINUTE), "60", true));
        calls.add(QueryCall.range(QueryCall.seconds(t0 + 20 * MINUTE), QueryCall.seconds(t0 + 20 * MINUTE), "10s",
                false));
        calls.add(QueryCall.range(QueryCall.seconds(t0 + 5 * MINUTE + 1), QueryCall.seconds(t0 + 55 * MINUTE), "1m30s",
                true));
        calls.add(QueryCall.range(QueryCall.seconds(t0 + 33 * MINUTE), QueryCall.seconds(t0 + 45 * MINUTE + 999), "15.5",
                false));
        return calls;
    }

    /**
     * The calls expression number {@code index} is run with: all instant times and ranges, or with {@code quick}
     * {@code instants} instant times and {@code ranges} ranges, rotating through the lists so that neighbouring
     * expressions cover different ones.
     */
    static List<QueryCall> callsFor(int index, int instants, int ranges, boolean quick) {
        List<QueryCall> instant = instantCalls();
        List<QueryCall> range = rangeCalls();
        if (!quick) {
            List<QueryCall> all = new ArrayList<>(instant);
            all.addAll(range);
            return all;
        }
        List<QueryCall> calls = new ArrayList<>();
        for (int i = 0; i < instants; i++) {
            calls.add(instant.get((index + i * 2) % instant.size()));
        }
        for (int i = 0; i < ranges; i++) {
            calls.add(range.get((index + i * 2) % range.size()));
        }
        return calls;
    }

    /** Which order the answer's list carries, as Prometheus 2.42 guarantees it. */
    static Order orderOf(QueryCall call, String prometheusExpression) {
        if (call.isRange()) {
            return Order.BY_LABELS;
        }
        try {
            Expr expr = PromQLParser.parse(prometheusExpression);
            while (expr instanceof ParenExpr paren) {
                expr = paren.expr();
            }
            if (expr instanceof Call c && (c.function().name().equals("sort") || c.function().name().equals(
                    "sort_desc"))) {
                return Order.BY_VALUE;
            }
        } catch (RuntimeException e) {
            // an expression that does not parse has no result to order
        }
        return Order.NONE;
    }
}
