package kz.freedomid.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.freedomid.platform.Json;
import kz.freedomid.user.User;

/**
 * Our own user data: every attribute of contract section 1, the verification summary and the account facts.
 * Verification level: {@code full} when phone and email are verified and the national identifier is known,
 * {@code basic} when the phone or the email is verified, {@code none} otherwise.
 */
public final class BuiltInProfileSource implements ProfileSource {
    private final ProfileStore store;

    public BuiltInProfileSource(ProfileStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "built-in";
    }

    @Override
    public Map<String, Object> attributes(User user) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("freedom_id", user.id().toString());
        out.put("firstname", user.firstname());
        out.put("lastname", user.lastname());
        out.put("patronymic", user.patronymic());
        out.put("date_of_birth", user.dateOfBirth() == null ? null : user.dateOfBirth().toString());
        out.put("gender", user.gender());
        out.put("country", user.country());
        out.put("nationality", user.nationality());
        out.put("identifier", user.identifier());
        out.put("phone", user.phone());
        // Additional numbers, addresses and cards come with the user-management API; until then there are none.
        out.put("phones", List.of());
        out.put("email", user.email());
        out.put("emails", List.of());
        out.put("cards", List.of());
        Map<String, Object> verification = new LinkedHashMap<>();
        verification.put("phone_verified", user.phoneVerified());
        verification.put("email_verified", user.emailVerified());
        verification.put("level", level(user));
        out.put("verification", verification);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("created_at", Json.timestamp(user.createdAt()));
        account.put("last_login_at", Json.timestamp(user.lastLoginAt()));
        account.put("partners_connected", store.partnersConnected(user.id()));
        out.put("account", account);
        return out;
    }

    static String level(User user) {
        boolean identified = user.identifier() != null && !user.identifier().isBlank();
        if (user.phoneVerified() && user.emailVerified() && identified) return "full";
        if (user.phoneVerified() || user.emailVerified()) return "basic";
        return "none";
    }
}
