package io.tidemark.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidemark.proto.v1.QueryServiceGrpc;
import io.tidemark.proto.v1.RangeRequest;
import io.tidemark.proto.v1.Selector;
import io.tidemark.testing.Db;
import io.tidemark.testing.GrpcTestClient;
import io.tidemark.testing.TidemarkTestResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A query that cannot finish in tidemark.query.timeout is abandoned with DEADLINE_EXCEEDED naming the limit. */
@QuarkusTest
@QuarkusTestResource(TidemarkTestResource.class)
@TestProfile(QueryTimeoutTest.ShortTimeout.class)
class QueryTimeoutTest {

    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidemark.query.timeout", "500ms");
        }
    }

    @Test
    void aBlockedQueryTimesOut() throws Exception {
        long now = System.currentTimeMillis();
        try (GrpcTestClient client = new GrpcTestClient(); Connection lock = Db.connect()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE series IN ACCESS EXCLUSIVE MODE"); // even reads wait
            }
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> QueryServiceGrpc
                    .newBlockingStub(client.channel()).range(RangeRequest.newBuilder()
                            .setSelector(Selector.newBuilder().setMetric("anything")).setStartMs(now - 60_000)
                            .setEndMs(now).setStepMs(10_000).build())
                    .forEachRemaining(r -> {
                    }));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("tidemark.query.timeout"), e.getStatus().getDescription());
            // the abandoned statement was cancelled in PostgreSQL too: it no longer waits behind the lock
            long waiting = -1;
            for (int i = 0; i < 50 && waiting != 0; i++) {
                Thread.sleep(100);
                try (Connection check = Db.connect(); Statement st = check.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                                + " AND query LIKE 'SELECT s.id, s.name, s.labels FROM series%'")) {
                    rs.next();
                    waiting = rs.getLong(1);
                }
            }
            lock.rollback();
            assertEquals(0, waiting, "the timed-out statement still runs in PostgreSQL");
        }
    }
}
