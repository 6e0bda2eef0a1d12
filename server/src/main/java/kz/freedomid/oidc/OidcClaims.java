package kz.freedomid.oidc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.Grant;
import kz.freedomid.user.Card;
import kz.freedomid.user.User;
import kz.freedomid.user.UserExtras;

/**
 * Userinfo claims (contract 4.4): standard OIDC names mapped from the consented grants. Claims without a value are
 * left out, as OIDC Core §5.3.2 asks, rather than sent as null.
 */
final class OidcClaims {
    private OidcClaims() {}

    static Map<String, Object> of(User user, UserExtras extras, Set<Grant> grants) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", user.id().toString());
        for (Grant grant : grants) {
            switch (grant) {
                case READ_FIRSTNAME -> put(out, "given_name", user.firstname());
                case READ_LASTNAME -> put(out, "family_name", user.lastname());
                case READ_PATRONYMIC -> put(out, "middle_name", user.patronymic());
                case READ_DATE_OF_BIRTH -> put(out, "birthdate", user.dateOfBirth() == null ? null : user.dateOfBirth().toString());
                case READ_GENDER -> put(out, "gender", user.gender() == null ? null : "M".equals(user.gender()) ? "male" : "female");
                case READ_COUNTRY -> put(out, "country", user.country());
                case READ_NATIONALITY -> put(out, "nationality", user.nationality());
                case READ_IDENTIFIER -> put(out, "identifier", user.identifier());
                case READ_EMAIL -> {
                    if (user.email() != null) {
                        out.put("email", user.email());
                        out.put("email_verified", user.emailVerified());
                    }
                }
                case READ_PHONE -> {
                    out.put("phone_number", user.phone());
                    out.put("phone_number_verified", user.phoneVerified());
                }
                case READ_PHONES -> out.put("phones", extras.phones());
                case READ_EMAILS -> out.put("emails", extras.emails());
                case READ_CARDS -> out.put("cards", Card.released(extras.cards()));
                case READ_PROFILE, OPENID -> { }
            }
        }
        return out;
    }

    private static void put(Map<String, Object> out, String name, Object value) {
        if (value != null) out.put(name, value);
    }
}
