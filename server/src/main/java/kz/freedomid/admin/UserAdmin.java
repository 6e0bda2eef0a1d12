package kz.freedomid.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.callback.SessionEnd;
import kz.freedomid.user.Card;
import kz.freedomid.user.CardService;
import kz.freedomid.user.EditableUser;
import kz.freedomid.user.User;
import kz.freedomid.user.UserExtras;
import kz.freedomid.user.UserInput;
import kz.freedomid.user.UserService;

/**
 * What operators do to users and their cards, through the admin API or the command line. Blocking or deleting a user
 * ends every session, revokes every token pair and queues the partners' revoke callbacks (contract 3.10). Each change
 * is audited with actor {@code admin}, where it came from and what changed (field names only: values may be personal).
 */
public final class UserAdmin {
    /** A user as operators see it: the stored fields, additional contacts and cards. */
    public record Account(User user, UserExtras extras) {}

    private final UserService users;
    private final CardService cards;
    private final SessionEnd sessionEnd;
    private final AuditLog audit;

    public UserAdmin(UserService users, CardService cards, SessionEnd sessionEnd, AuditLog audit) {
        this.users = users;
        this.cards = cards;
        this.sessionEnd = sessionEnd;
        this.audit = audit;
    }

    public Account create(UserInput input, String clientIp) {
        User user = users.create(input, null);
        audit.record(Actor.ADMIN, "admin.user.created", user.id(), clientIp, Map.of());
        return new Account(user, users.extras(user.id()));
    }

    public Optional<Account> find(UUID id) {
        return users.find(id).map(user -> new Account(user, users.extras(id)));
    }

    public List<User> search(String phone, String email, int limit) {
        return users.search(phone, email, limit);
    }

    /** @throws kz.freedomid.platform.FreedomException 404 for an unknown user, 422/409 as for partners */
    public Account update(UUID id, UserInput input, String clientIp) {
        User before = users.find(id).orElse(null);
        EditableUser after = users.update(id, input, null);
        List<String> changed = before == null ? List.of() : changedFields(before, after.user());
        audit.record(Actor.ADMIN, "admin.user.updated", id, clientIp, Map.of("changed", changed));
        return new Account(after.user(), users.extras(id));
    }

    /** Blocks the user: no sign-in, and every session and token pair ends now, with the partners told. */
    public Optional<Account> block(UUID id, String clientIp) {
        if (!users.setActive(id, false)) return Optional.empty();
        int revoked = sessionEnd.endEverythingOf(id, "user_blocked");
        audit.record(Actor.ADMIN, "admin.user.blocked", id, clientIp, AuditEvent.details("pairs_revoked", revoked));
        return find(id);
    }

    public Optional<Account> unblock(UUID id, String clientIp) {
        if (!users.setActive(id, true)) return Optional.empty();
        audit.record(Actor.ADMIN, "admin.user.unblocked", id, clientIp, Map.of());
        return find(id);
    }

    /** Deletes the user with their tokens; the partners holding live pairs get their revoke callbacks first. */
    public boolean delete(UUID id, String clientIp) {
        if (users.find(id).isEmpty()) return false;
        int revoked = sessionEnd.endEverythingOf(id, "user_deleted");
        boolean deleted = users.delete(id);
        if (deleted) audit.record(Actor.ADMIN, "admin.user.deleted", id, clientIp, AuditEvent.details("pairs_revoked", revoked));
        return deleted;
    }

    public List<Card> cards(UUID userId) {
        return cards.list(userId);
    }

    /** @throws kz.freedomid.platform.FreedomException 422 (a full card number is refused and never echoed), 404 */
    public Card attachCard(UUID userId, CardService.NewCard card, String clientIp) {
        Card attached = cards.attach(userId, card);
        audit.record(Actor.ADMIN, "admin.card.attached", userId, clientIp, AuditEvent.details("card_id", attached.id(),
                "masked_pan", attached.maskedPan(), "brand", attached.brand()));
        return attached;
    }

    public boolean removeCard(UUID userId, UUID cardId, String clientIp) {
        boolean removed = cards.remove(userId, cardId);
        if (removed) audit.record(Actor.ADMIN, "admin.card.removed", userId, clientIp, AuditEvent.details("card_id", cardId));
        return removed;
    }

    private static List<String> changedFields(User a, User b) {
        Map<String, Boolean> diff = new LinkedHashMap<>();
        diff.put("phone", !Objects.equals(a.phone(), b.phone()));
        diff.put("email", !Objects.equals(a.email(), b.email()));
        diff.put("firstname", !Objects.equals(a.firstname(), b.firstname()));
        diff.put("lastname", !Objects.equals(a.lastname(), b.lastname()));
        diff.put("patronymic", !Objects.equals(a.patronymic(), b.patronymic()));
        diff.put("date_of_birth", !Objects.equals(a.dateOfBirth(), b.dateOfBirth()));
        diff.put("gender", !Objects.equals(a.gender(), b.gender()));
        diff.put("country", !Objects.equals(a.country(), b.country()));
        diff.put("nationality", !Objects.equals(a.nationality(), b.nationality()));
        diff.put("identifier", !Objects.equals(a.identifier(), b.identifier()));
        return diff.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }
}
