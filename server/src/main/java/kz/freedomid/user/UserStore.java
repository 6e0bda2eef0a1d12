package kz.freedomid.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

public interface UserStore {
    /**
     * Inserts the user with its phone and email, and the additional ones, in one transaction.
     *
     * @throws ContactTakenException when a phone or email belongs to another user
     */
    void insert(User user, UUID createdBy, List<String> phones, List<String> emails);

    Optional<User> find(UUID id);

    Optional<User> findByPhone(String phone);

    /**
     * Reads the user under a row lock, lets {@code change} decide its new state, and writes that back with its phones
     * and emails, all in one transaction; empty when there is no such user. Anything {@code change} throws rolls back.
     *
     * @throws ContactTakenException when a new phone or email belongs to another user (nothing is written)
     */
    Optional<EditableUser> update(UUID id, UnaryOperator<EditableUser> change, Instant now);

    /** Additional phones and emails, and cards, in one round trip. */
    UserExtras extras(UUID id);

    void recordLogin(UUID id, boolean phoneVerified, Instant at);

    void setPassword(UUID id, String passwordHash, Instant at);

    /** active or blocked; false when there is no such user. */
    boolean setActive(UUID id, boolean active, Instant at);

    /** Users whose phone or email (primary or additional) is exactly this value, at most {@code limit}. */
    List<User> search(String phone, String email, int limit);

    /**
     * Deletes the user and everything that hangs on them (token pairs, codes, consents, sessions and their one-time
     * codes, profile requests, phones, emails, cards) in one transaction; false when there is no such user.
     */
    boolean delete(UUID id);
}
