package kz.freedomid.user;

import java.util.UUID;

/** What is needed to create a user; everything but the phone is optional. */
public record NewUser(String phone, String email, String firstname, String lastname, String password,
                      boolean phoneVerified, UUID createdBy) {
    public static NewUser withPhone(String phone) {
        return new NewUser(phone, null, null, null, null, false, null);
    }
}
