package kz.freedomid.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool, failing fast while the database is known to be down. Without this every database call of every request
 * would wait the pool's whole connection timeout during an outage, and a request making several calls would wait
 * several timeouts. Once the pool could not connect, callers fail at once while one background probe waits for a
 * connection; the first one it gets ends the outage.
 */
final class FailFastDataSource implements DataSource {
    private static final Logger LOG = LoggerFactory.getLogger(FailFastDataSource.class);

    private final HikariDataSource pool;
    private final AtomicBoolean down = new AtomicBoolean();

    FailFastDataSource(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down.get()) throw new SQLTransientConnectionException("The database is unavailable.", "08001");
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            // The pool attaches its last connection failure when it timed out because it could not connect; without
            // one every connection was busy (load), which is not an outage.
            if ((e.getNextException() != null || e.getCause() != null) && down.compareAndSet(false, true)) {
                LOG.warn("database unavailable: {}; answering 100503 until it is back", e.getMessage());
                Thread.ofVirtual().name("database-probe").start(this::probeUntilUp);
            }
            throw e;
        }
    }

    private void probeUntilUp() {
        while (!pool.isClosed()) {
            try (Connection ignored = pool.getConnection()) {
                down.set(false);
                LOG.warn("database available again");
                return;
            } catch (SQLException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's own credentials only");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
