package kz.freedomid.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import kz.freedomid.platform.Json;
import kz.freedomid.user.Card;
import kz.freedomid.user.User;
import kz.freedomid.user.UserExtras;

/**
 * Our own user data: every attribute of contract section 1, the verification summary and the account facts.
 * Verification level: {@code full} when phone and email are verified and the national identifier is known,
 * {@code basic} when the phone or the email is verified, {@code none} otherwise.
 */
public final class BuiltInProfileSource implements ProfileSource {
    private final ProfileStore store;
    private final Function<UUID, UserExtras> extras;

    /** @param extras a user's additional phones and emails and cards */
    public BuiltInProfileSource(ProfileStore store, Function<UUID, UserExtras> extras) {
        this.store = store;
        this.extras = extras;
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
        UserExtras more = extras.apply(user.id());
        out.put("phone", user.phone());
        out.put("phones", more.phones());
        out.put("email", user.email());
        out.put("emails", more.emails());
        out.put("cards", Card.released(more.cards()));
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
