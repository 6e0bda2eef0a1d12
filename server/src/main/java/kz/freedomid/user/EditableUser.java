package kz.freedomid.user;

import java.util.List;
import java.util.UUID;

/** A user as the partial update (contract 3.9) sees it: the row, who created it, and the additional contacts. */
public record EditableUser(User user, UUID createdBy, List<String> phones, List<String> emails) {
    public EditableUser {
        phones = List.copyOf(phones);
        emails = List.copyOf(emails);
    }
}
