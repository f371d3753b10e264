package io.tidemark.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads what the service stored, straight from PostgreSQL over JDBC, as an operator with psql would. */
public final class Db {

    private Db() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestServices.postgres().jdbcUrl(TestServices.database()),
                TestServices.postgres().user(), "");
    }

    public static long count(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Samples stored for a metric name in a tenant, across all its series. */
    public static long samplesOf(String tenant, String name) {
        return count("SELECT count(*) FROM samples s JOIN series r ON r.id = s.series_id WHERE r.tenant = ? AND r.name = ?",
                tenant, name);
    }
}
