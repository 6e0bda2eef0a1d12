package kz.freedomid.platform;

import java.sql.SQLException;

public final class SqlErrors {
    private SqlErrors() {}

    /** SQLState 23505 is unique_violation on PostgreSQL and H2 alike. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
        }
        return false;
    }
}
