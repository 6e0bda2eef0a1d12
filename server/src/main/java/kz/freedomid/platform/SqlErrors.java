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

    /**
     * Runs an insert that a unique key may refuse: true when the row went in, false when the key already held one (a
     * replay, for the jti stores: the key settles a race between nodes in one round trip).
     */
    public static boolean insertedOnce(Runnable insert) {
        try {
            insert.run();
            return true;
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) return false;
            throw e;
        }
    }
}
