package kz.freedomid.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.platform.SqlErrors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

public final class JdbiUserStore implements UserStore {
    static final String COLUMNS = "id, phone, email, firstname, lastname, patronymic, date_of_birth, gender, country, "
            + "nationality, identifier, password_hash, phone_verified, email_verified, status, created_at, last_login_at";

    private final Jdbi jdbi;

    public JdbiUserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(User u, UUID createdBy) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO users (id, phone, email, firstname, lastname, patronymic, date_of_birth, gender,
                                country, nationality, identifier, password_hash, phone_verified, email_verified,
                                created_by, status, created_at, updated_at)
                            VALUES (:id, :phone, :email, :firstname, :lastname, :patronymic, :dob, :gender, :country,
                                :nationality, :identifier, :passwordHash, :phoneVerified, :emailVerified,
                                :createdBy, 'active', :now, :now)""")
                    .bind("id", u.id())
                    .bind("phone", u.phone())
                    .bind("email", u.email())
                    .bind("firstname", u.firstname())
                    .bind("lastname", u.lastname())
                    .bind("patronymic", u.patronymic())
                    .bind("dob", u.dateOfBirth())
                    .bind("gender", u.gender())
                    .bind("country", u.country())
                    .bind("nationality", u.nationality())
                    .bind("identifier", u.identifier())
                    .bind("passwordHash", u.passwordHash())
                    .bind("phoneVerified", u.phoneVerified())
                    .bind("emailVerified", u.emailVerified())
                    .bind("createdBy", createdBy)
                    .bind("now", u.createdAt())
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            if (SqlErrors.isUniqueViolation(e)) throw new ContactTakenException("phone or email already registered");
            throw e;
        }
    }

    @Override
    public Optional<User> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id).map(JdbiUserStore::map).findOne());
    }

    @Override
    public Optional<User> findByPhone(String phone) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE phone = :phone")
                .bind("phone", phone).map(JdbiUserStore::map).findOne());
    }

    @Override
    public void recordLogin(UUID id, boolean phoneVerified, Instant at) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE users SET last_login_at = :at, phone_verified = (phone_verified OR :verified) WHERE id = :id")
                .bind("at", at).bind("verified", phoneVerified).bind("id", id).execute());
    }

    @Override
    public void setPassword(UUID id, String passwordHash, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :hash, updated_at = :at WHERE id = :id")
                .bind("hash", passwordHash).bind("at", at).bind("id", id).execute());
    }

    public static User map(ResultSet rs, StatementContext ctx) throws SQLException {
        OffsetDateTime lastLogin = rs.getObject("last_login_at", OffsetDateTime.class);
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("phone"),
                rs.getString("email"),
                rs.getString("firstname"),
                rs.getString("lastname"),
                rs.getString("patronymic"),
                rs.getObject("date_of_birth", LocalDate.class),
                rs.getString("gender"),
                rs.getString("country"),
                rs.getString("nationality"),
                rs.getString("identifier"),
                rs.getString("password_hash"),
                rs.getBoolean("phone_verified"),
                rs.getBoolean("email_verified"),
                "active".equals(rs.getString("status")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                lastLogin == null ? null : lastLogin.toInstant());
    }
}
