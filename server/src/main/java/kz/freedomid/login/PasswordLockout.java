package kz.freedomid.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Jdbi;

/**
 * Growing lock-out after repeated wrong passwords for one phone (contract 5): from the fifth failure on, sign-in by
 * password waits 30 s, then 1, 2, 4 … minutes, at most an hour. Kept in the database so every node agrees.
 */
public final class PasswordLockout {
    static final int FREE_FAILURES = 4;
    private static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    private static final Duration MAX_DELAY = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final Clock clock;

    public PasswordLockout(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Zero when the phone may try now. */
    public Duration lockedFor(String phone) {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("SELECT locked_until FROM password_failures WHERE phone = :phone")
                .bind("phone", phone)
                .map((rs, ctx) -> rs.getObject("locked_until", OffsetDateTime.class))
                .findOne()
                .filter(until -> until != null && until.toInstant().isAfter(now))
                .map(until -> Duration.between(now, until.toInstant()))
                .orElse(Duration.ZERO));
    }

    public void recordFailure(String phone) {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            int failures = h.createQuery("SELECT failures FROM password_failures WHERE phone = :phone FOR UPDATE")
                    .bind("phone", phone).mapTo(Integer.class).findOne().orElse(0) + 1;
            Instant lockedUntil = failures > FREE_FAILURES ? now.plus(delayAfter(failures)) : null;
            int updated = h.createUpdate("UPDATE password_failures SET failures = :f, locked_until = :until, "
                            + "updated_at = :now WHERE phone = :phone")
                    .bind("f", failures).bind("until", lockedUntil).bind("now", now).bind("phone", phone).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO password_failures (phone, failures, locked_until, updated_at) "
                                + "VALUES (:phone, :f, :until, :now)")
                        .bind("f", failures).bind("until", lockedUntil).bind("now", now).bind("phone", phone).execute();
            }
        });
    }

    public void reset(String phone) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM password_failures WHERE phone = :phone").bind("phone", phone).execute());
    }

    static Duration delayAfter(int failures) {
        int steps = Math.min(failures - FREE_FAILURES - 1, 10);
        Duration delay = FIRST_DELAY.multipliedBy(1L << steps);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
