package kz.freedomid.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.Arguments;
import org.jdbi.v3.core.argument.NullArgument;
import org.jdbi.v3.core.config.ConfigRegistry;

/** The connection pool, migrations and the JDBI handle every store uses. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final FailFastDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool) {
        this.pool = pool;
        this.dataSource = new FailFastDataSource(pool);
        this.jdbi = Jdbi.create(dataSource);
        jdbi.registerArgument(new InstantArgumentFactory());
        jdbi.registerArgument(new UuidArgumentFactory());
        // A null bound without a static type goes out as "unspecified", which PostgreSQL accepts for any column type.
        jdbi.getConfig(Arguments.class).setUntypedNullArgument(new NullArgument(Types.OTHER));
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        });
    }

    public static Database open(String url, String user, String password, int maxPoolSize) {
        return open(url, user, password, maxPoolSize, null);
    }

    /** With {@code meters}, the pool publishes Hikari's {@code hikaricp_connections_*} meters (pool "freedom-id"). */
    public static Database open(String url, String user, String password, int maxPoolSize, MeterRegistry meters) {
        HikariConfig hikari = new HikariConfig();
        if (meters != null) hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(maxPoolSize);
        hikari.setMinimumIdle(Math.min(2, maxPoolSize));
        // Bounds how long a request may wait for a connection; during an outage only one caller waits at a time
        // (FailFastDataSource), the others are answered 100503 at once.
        hikari.setConnectionTimeout(3_000);
        hikari.setValidationTimeout(2_000);
        hikari.setPoolName("freedom-id");
        // Start even when the database is down: readiness reports it, requests get 100503.
        hikari.setInitializationFailTimeout(-1);
        return new Database(new HikariDataSource(hikari));
    }

    public void migrate() {
        // Portable SQL in db/migration; the few dialect-specific scripts in db/vendor/{h2,postgresql}.
        String vendor = isPostgres() ? "postgresql" : "h2";
        List<String> locations = List.of("db/migration", "db/vendor/" + vendor);
        if (SchemaCheck.upToDate(pool, locations)) return;
        Flyway.configure().dataSource(pool).locations(locations.stream().map(l -> "classpath:" + l).toArray(String[]::new))
                .load().migrate();
    }

    /**
     * A connection of its own, outside the pool, with the pool's URL and credentials and {@code properties} besides
     * (ClusterEvents keeps one for good to LISTEN on). The caller closes it.
     */
    public Connection connectOutsidePool(java.util.Properties properties) throws SQLException {
        java.util.Properties all = new java.util.Properties();
        all.putAll(properties);
        if (pool.getUsername() != null) all.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) all.setProperty("password", pool.getPassword());
        return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), all);
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public boolean isPostgres() {
        return pool.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    /** True when the database answers a trivial query within two seconds. */
    public boolean answers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Binds UUIDs natively; JDBI's default binds a null UUID as VARCHAR, which PostgreSQL refuses for a uuid column. */
    private static final class UuidArgumentFactory extends AbstractArgumentFactory<java.util.UUID> {
        UuidArgumentFactory() {
            super(Types.OTHER);
        }

        @Override
        protected Argument build(java.util.UUID value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setObject(position, value);
        }
    }

    /** Binds {@link Instant} as TIMESTAMP WITH TIME ZONE in UTC, identically on H2 and PostgreSQL. */
    private static final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {
        InstantArgumentFactory() {
            super(Types.TIMESTAMP_WITH_TIMEZONE);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config) {
            // Truncated, not left for the database to round: a rounded-up time could land after "now".
            return (position, statement, ctx) -> statement.setObject(position,
                    value.truncatedTo(java.time.temporal.ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        }
    }
}
