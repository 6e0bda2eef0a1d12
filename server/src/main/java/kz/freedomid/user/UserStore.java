package kz.freedomid.user;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

public interface UserStore {
    /** @throws ContactTakenException when the phone or email belongs to another user */
    void insert(User user, java.util.UUID createdBy);

    Optional<User> find(UUID id);

    Optional<User> findByPhone(String phone);

    void recordLogin(UUID id, boolean phoneVerified, Instant at);

    void setPassword(UUID id, String passwordHash, Instant at);
}
