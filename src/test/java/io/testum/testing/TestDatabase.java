package io.testum.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain JDBC on the running application's database: resets it between tests and reads raw rows,
 * as an operator with psql would.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /**
     * Tables reset leaves alone: Flyway's record of the migrations, and what the running application
     * made for itself at start and the tests' sign-ins rely on (its signing key and master-key check,
     * the first admin and the other users, their sessions and API tokens). Every other table of the
     * schema is emptied, so a table a migration adds is cleared without anyone listing it here.
     */
    static final Set<String> KEPT = Set.of("flyway_schema_history", "app_state", "users", "auth_sessions", "refresh_tokens",
            "api_tokens");

    /** Empties every table of the application's schema except {@link #KEPT}. */
    public static void reset() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", clearedTables(c)) + " RESTART IDENTITY CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tables {@link #reset()} empties: those of the current schema, less {@link #KEPT}, sorted. */
    static List<String> clearedTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT quote_ident(tablename) FROM pg_tables "
                        + "WHERE schemaname = current_schema() ORDER BY tablename")) {
            while (rs.next()) {
                if (!KEPT.contains(rs.getString(1))) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    /** Every row of {@code sql}, each as a list of its columns' text. */
    public static List<List<String>> rows(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
