package kz.freedomid.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The database a test server runs on: H2 in memory, or a fresh schema in the PostgreSQL at 127.0.0.1:5432 when the
 * system property {@code freedomid.test.db} is {@code postgres}. A missing PostgreSQL fails the tests loudly.
 */
public final class TestDatabases {
    public record TestDb(String url, String user, String password, Runnable drop) {}

    private TestDatabases() {}

    public static boolean postgres() {
        return "postgres".equals(System.getProperty("freedomid.test.db", "h2"));
    }

    /** @param shared on H2, a database file other processes (the admin CLI) can open while the server runs */
    public static TestDb create(boolean shared, java.nio.file.Path dir) {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (!postgres()) {
            String url = shared ? "jdbc:h2:file:" + dir.resolve(name) + ";AUTO_SERVER=TRUE" : "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
            return new TestDb(url, "sa", "", () -> {});
        }
        String base = System.getenv().getOrDefault("FREEDOM_ID_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("FREEDOM_ID_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("FREEDOM_ID_TEST_PG_PASSWORD", "");
        execute(base, user, password, "CREATE SCHEMA " + name);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new TestDb(url, user, password, () -> execute(base, user, password, "DROP SCHEMA " + name + " CASCADE"));
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests is not reachable at " + url
                    + " (start it, or set FREEDOM_ID_TEST_PG_URL): " + e.getMessage(), e);
        }
    }
}
