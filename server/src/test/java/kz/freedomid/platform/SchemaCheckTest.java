package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import kz.freedomid.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check that lets a server skip Flyway: it must agree with Flyway, and say "run Flyway" on any doubt. */
class SchemaCheckTest {
    @TempDir
    Path dir;
    TestDatabases.TestDb db;
    Database database;
    List<String> locations;

    @BeforeEach
    void open() {
        db = TestDatabases.create(false, dir);
        database = Database.open(db.url(), db.user(), db.password(), 2);
        locations = List.of("db/migration", "db/vendor/" + (database.isPostgres() ? "postgresql" : "h2"));
    }

    @AfterEach
    void close() {
        database.close();
        db.drop().run();
    }

    @Test
    void emptyDatabaseIsNotUpToDate() {
        assertThat(SchemaCheck.upToDate(database.dataSource(), locations)).isFalse();
    }

    @Test
    void afterFlywayMigratedEveryScriptTheChecksumsAgreeWithFlyways() {
        database.migrate();
        assertThat(SchemaCheck.upToDate(database.dataSource(), locations)).isTrue();
        database.migrate(); // and a second start takes the short way without harm
        assertThat(count("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")).isEqualTo(
                SchemaCheckTestSupport.shippedCount(locations));
    }

    @Test
    void whenAnAppliedScriptWasChangedFlywayRunsAndRefusesAsBefore() {
        database.migrate();
        execute("UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '1'");
        assertThat(SchemaCheck.upToDate(database.dataSource(), locations)).isFalse();
        assertThatThrownBy(database::migrate).hasMessageContaining("checksum mismatch");
    }

    @Test
    void whenAMigrationIsPendingOrFailedItIsNotUpToDate() {
        database.migrate();
        execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '2'");
        assertThat(SchemaCheck.upToDate(database.dataSource(), locations)).isFalse();
        execute("UPDATE \"flyway_schema_history\" SET \"success\" = TRUE WHERE \"version\" = '2'");
        assertThat(SchemaCheck.upToDate(database.dataSource(), locations)).isTrue();
        execute("DELETE FROM \"flyway_schema_history\" WHERE \"installed_rank\" = "
                + "(SELECT MAX(\"installed_rank\") FROM \"flyway_schema_history\")");
        assertThat(SchemaCheck.upToDate(database.dataSource(), locations)).isFalse();
    }

    @Test
    void checksumIsFlywaysLineByLineCrc32WithoutLineEndingsOrByteOrderMark() throws Exception {
        int unix = SchemaCheck.checksum(stream("CREATE TABLE a (x INT);\nSELECT 1;\n"));
        assertThat(SchemaCheck.checksum(stream("CREATE TABLE a (x INT);\r\nSELECT 1;\r\n"))).isEqualTo(unix);
        assertThat(SchemaCheck.checksum(stream("\uFEFFCREATE TABLE a (x INT);\nSELECT 1;"))).isEqualTo(unix);
        assertThat(SchemaCheck.checksum(stream("CREATE TABLE a (x INT);\nSELECT 2;\n"))).isNotEqualTo(unix);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private void execute(String sql) {
        database.jdbi().useHandle(h -> h.execute(sql));
    }

    private long count(String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** How many versioned scripts we ship for this database. */
    private static final class SchemaCheckTestSupport {
        static int shippedCount(List<String> locations) {
            try {
                return SchemaCheck.shippedScripts(locations).size();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
