package kz.freedomid.platform;

import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * One database transaction around several store calls. Jdbi gives nested calls on one thread the handle of the
 * outermost call, and a nested transaction joins the open one, so the stores need no handle passed in.
 */
public final class Transactions {
    private final Jdbi jdbi;

    public Transactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public <T> T inTransaction(Supplier<T> work) {
        return jdbi.inTransaction(h -> work.get());
    }
}
