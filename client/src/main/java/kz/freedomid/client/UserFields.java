package kz.freedomid.client;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of Create user (contract 3.8) and Update user (3.9). Only the fields set here are sent: for an update an
 * omitted field stays as it is, and a field set to null (for example {@code email(null)}) is cleared.
 */
public final class UserFields {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public static UserFields create() {
        return new UserFields();
    }

    /** Required on create; {@code +} and 10–15 digits. Cannot be cleared. */
    public UserFields phone(String phone) {
        return set("phone", phone);
    }

    public UserFields email(String email) {
        return set("email", email);
    }

    public UserFields firstname(String firstname) {
        return set("firstname", firstname);
    }

    public UserFields lastname(String lastname) {
        return set("lastname", lastname);
    }

    public UserFields dateOfBirth(LocalDate dateOfBirth) {
        return set("date_of_birth", dateOfBirth == null ? null : dateOfBirth.toString());
    }

    public UserFields identifier(String identifier) {
        return set("identifier", identifier);
    }

    /** ISO 3166-1 alpha-3, such as {@code KAZ}. */
    public UserFields country(String country) {
        return set("country", country);
    }

    /** {@code M} or {@code F}. */
    public UserFields gender(String gender) {
        return set("gender", gender);
    }

    public UserFields nationality(String nationality) {
        return set("nationality", nationality);
    }

    /** The JSON body: the fields set, explicit nulls included, in the order they were set. */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(fields);
    }

    private UserFields set(String name, Object value) {
        fields.put(name, value);
        return this;
    }
}
