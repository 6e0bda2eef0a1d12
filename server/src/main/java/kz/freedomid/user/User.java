package kz.freedomid.user;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A Freedom ID user; {@code id} is their freedom_id. */
public record User(
        UUID id,
        String phone,
        String email,
        String firstname,
        String lastname,
        String patronymic,
        LocalDate dateOfBirth,
        String gender,
        String country,
        String nationality,
        String identifier,
        String passwordHash,
        boolean phoneVerified,
        boolean emailVerified,
        boolean active,
        Instant createdAt,
        Instant lastLoginAt) {

    public boolean hasPassword() {
        return passwordHash != null;
    }
}
