package kz.freedomid.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.Grant;
import kz.freedomid.user.Card;
import kz.freedomid.user.User;
import kz.freedomid.user.UserExtras;

/** The user info body of contract 3.5: {@code id} and one field per consented grant ({@code null} when empty). */
public final class UserInfo {
    private UserInfo() {}

    /** @param extras additional phones, emails and cards: at least those the grants release */
    public static Map<String, Object> of(User user, UserExtras extras, Set<Grant> grants) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id().toString());
        for (Grant grant : grants) {
            switch (grant) {
                case READ_FIRSTNAME -> out.put("firstname", user.firstname());
                case READ_LASTNAME -> out.put("lastname", user.lastname());
                case READ_PATRONYMIC -> out.put("patronymic", user.patronymic());
                case READ_DATE_OF_BIRTH -> out.put("date_of_birth",
                        user.dateOfBirth() == null ? null : user.dateOfBirth().toString());
                case READ_GENDER -> out.put("gender", user.gender());
                case READ_COUNTRY -> out.put("country", user.country());
                case READ_NATIONALITY -> out.put("nationality", user.nationality());
                case READ_IDENTIFIER -> out.put("identifier", user.identifier());
                case READ_PHONE -> out.put("phone", user.phone());
                case READ_EMAIL -> out.put("email", user.email());
                case READ_PHONES -> out.put("phones", extras.phones());
                case READ_EMAILS -> out.put("emails", extras.emails());
                case READ_CARDS -> out.put("cards", Card.released(extras.cards()));
                case READ_PROFILE, OPENID -> { }
            }
        }
        return out;
    }
}
