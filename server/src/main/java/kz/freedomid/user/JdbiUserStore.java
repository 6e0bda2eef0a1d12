package kz.freedomid.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import kz.freedomid.platform.SqlErrors;
import org.jdbi.v3.core.Handle;
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
    public void insert(User u, UUID createdBy, List<String> phones, List<String> emails) {
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("""
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
                        .execute();
                insertContact(h, "user_phones", "phone", u.id(), 0, u.phone());
                if (u.email() != null) insertContact(h, "user_emails", "email", u.id(), 0, u.email());
                insertAdditional(h, "user_phones", "phone", u.id(), phones);
                insertAdditional(h, "user_emails", "email", u.id(), emails);
            });
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
    public boolean setActive(UUID id, boolean active, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET status = :status, updated_at = :at WHERE id = :id")
                .bind("status", active ? "active" : "blocked").bind("at", at).bind("id", id).execute()) == 1;
    }

    @Override
    public List<User> search(String phone, String email, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM users WHERE id IN (
                            SELECT user_id FROM user_phones WHERE phone = :phone
                            UNION SELECT user_id FROM user_emails WHERE email = :email)
                        ORDER BY created_at, id LIMIT :limit""")
                .bind("phone", phone).bind("email", email == null ? null : email.toLowerCase(java.util.Locale.ROOT))
                .bind("limit", limit)
                .map(JdbiUserStore::map).list());
    }

    @Override
    public boolean delete(UUID id) {
        return jdbi.inTransaction(h -> {
            for (String sql : List.of(
                    "DELETE FROM otp_challenges WHERE session_id IN (SELECT id FROM web_sessions WHERE user_id = :id)",
                    "DELETE FROM token_pairs WHERE user_id = :id",
                    "DELETE FROM auth_codes WHERE user_id = :id",
                    "DELETE FROM consents WHERE user_id = :id",
                    "DELETE FROM profile_requests WHERE user_id = :id",
                    "DELETE FROM web_sessions WHERE user_id = :id")) {
                h.createUpdate(sql).bind("id", id).execute();
            }
            return h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute() == 1;
        });
    }

    @Override
    public Optional<User> findByPhone(String phone) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE phone = :phone")
                .bind("phone", phone).map(JdbiUserStore::map).findOne());
    }

    @Override
    public Optional<EditableUser> update(UUID id, UnaryOperator<EditableUser> change, Instant now) {
        try {
            return jdbi.inTransaction(h -> {
                record Row(User user, UUID createdBy) {}
                Optional<Row> row = h.createQuery("SELECT " + COLUMNS + ", created_by FROM users WHERE id = :id FOR UPDATE")
                        .bind("id", id)
                        .map((rs, ctx) -> new Row(map(rs, ctx), rs.getObject("created_by", UUID.class)))
                        .findOne();
                if (row.isEmpty()) return Optional.empty();
                EditableUser before = new EditableUser(row.get().user(), row.get().createdBy(),
                        additional(h, "user_phones", "phone", id), additional(h, "user_emails", "email", id));
                EditableUser after = change.apply(before);
                write(h, after.user(), now);
                // Additional values go first: a value moving between primary and additional must not meet itself.
                boolean phonesChanged = !after.phones().equals(before.phones());
                boolean emailsChanged = !after.emails().equals(before.emails());
                if (phonesChanged) deleteAdditional(h, "user_phones", id);
                if (emailsChanged) deleteAdditional(h, "user_emails", id);
                if (!after.user().phone().equals(before.user().phone())) {
                    replacePrimary(h, "user_phones", "phone", id, after.user().phone());
                }
                if (!Objects.equals(after.user().email(), before.user().email())) {
                    replacePrimary(h, "user_emails", "email", id, after.user().email());
                }
                if (phonesChanged) insertAdditional(h, "user_phones", "phone", id, after.phones());
                if (emailsChanged) insertAdditional(h, "user_emails", "email", id, after.emails());
                return Optional.of(after);
            });
        } catch (UnableToExecuteStatementException e) {
            if (SqlErrors.isUniqueViolation(e)) throw new ContactTakenException("phone or email already registered");
            throw e;
        }
    }

    @Override
    public UserExtras extras(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + phonesOf(":id") + " AS extra_phones, " + emailsOf(":id")
                        + " AS extra_emails, " + cardsOf(":id") + " AS extra_cards")
                .bind("id", id)
                .map((rs, ctx) -> new UserExtras(strings(rs, "extra_phones"), strings(rs, "extra_emails"), cards(rs, "extra_cards")))
                .one());
    }

    /*
     * The list-valued data as one array column each, so that a reader gets them in the same round trip as the user
     * (ARRAY_AGG with ORDER BY in a correlated subquery: the same SQL on H2 and PostgreSQL). A card travels as one string
     * of its four fields separated by spaces, none of which can contain a space.
     */

    /** @param userId the SQL expression of the user's id, such as {@code t.user_id} or {@code :id} */
    public static String phonesOf(String userId) {
        return "(SELECT ARRAY_AGG(xp.phone ORDER BY xp.slot) FROM user_phones xp WHERE xp.user_id = " + userId
                + " AND xp.slot > 0)";
    }

    public static String emailsOf(String userId) {
        return "(SELECT ARRAY_AGG(xe.email ORDER BY xe.slot) FROM user_emails xe WHERE xe.user_id = " + userId
                + " AND xe.slot > 0)";
    }

    public static String cardsOf(String userId) {
        return "(SELECT ARRAY_AGG(CAST(xc.id AS VARCHAR(36)) || ' ' || xc.masked_pan || ' ' || xc.brand || ' ' || xc.expiry"
                + " ORDER BY xc.created_at, xc.id) FROM user_cards xc WHERE xc.user_id = " + userId + ")";
    }

    /** An array column of strings; SQL NULL (no rows, or not asked for) is an empty list. */
    public static List<String> strings(ResultSet rs, String column) throws SQLException {
        java.sql.Array array = rs.getArray(column);
        if (array == null) return List.of();
        List<String> out = new ArrayList<>();
        for (Object item : (Object[]) array.getArray()) out.add((String) item);
        return List.copyOf(out);
    }

    public static List<Card> cards(ResultSet rs, String column) throws SQLException {
        List<Card> out = new ArrayList<>();
        for (String packed : strings(rs, column)) {
            String[] f = packed.split(" ");
            out.add(new Card(UUID.fromString(f[0]), f[1], f[2], f[3]));
        }
        return List.copyOf(out);
    }

    private static void write(Handle h, User u, Instant now) {
        h.createUpdate("""
                        UPDATE users SET phone = :phone, email = :email, firstname = :firstname, lastname = :lastname,
                            patronymic = :patronymic, date_of_birth = :dob, gender = :gender, country = :country,
                            nationality = :nationality, identifier = :identifier, phone_verified = :phoneVerified,
                            email_verified = :emailVerified, updated_at = :now
                        WHERE id = :id""")
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
                .bind("phoneVerified", u.phoneVerified())
                .bind("emailVerified", u.emailVerified())
                .bind("now", now)
                .bind("id", u.id())
                .execute();
    }

    private static List<String> additional(Handle h, String table, String column, UUID id) {
        return h.createQuery("SELECT " + column + " FROM " + table + " WHERE user_id = :id AND slot > 0 ORDER BY slot")
                .bind("id", id).mapTo(String.class).list();
    }

    private static void replacePrimary(Handle h, String table, String column, UUID id, String value) {
        h.createUpdate("DELETE FROM " + table + " WHERE user_id = :id AND slot = 0").bind("id", id).execute();
        if (value != null) insertContact(h, table, column, id, 0, value);
    }

    private static void deleteAdditional(Handle h, String table, UUID id) {
        h.createUpdate("DELETE FROM " + table + " WHERE user_id = :id AND slot > 0").bind("id", id).execute();
    }

    private static void insertAdditional(Handle h, String table, String column, UUID id, List<String> values) {
        for (int i = 0; i < values.size(); i++) insertContact(h, table, column, id, i + 1, values.get(i));
    }

    private static void insertContact(Handle h, String table, String column, UUID id, int slot, String value) {
        h.createUpdate("INSERT INTO " + table + " (user_id, slot, " + column + ") VALUES (:id, :slot, :value)")
                .bind("id", id).bind("slot", slot).bind("value", value).execute();
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
