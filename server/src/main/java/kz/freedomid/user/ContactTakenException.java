package kz.freedomid.user;

/** The phone or email already belongs to another user (enforced by unique constraints). */
public final class ContactTakenException extends RuntimeException {
    public ContactTakenException(String detail) {
        super(detail, null, false, false);
    }
}
