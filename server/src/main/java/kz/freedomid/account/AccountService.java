package kz.freedomid.account;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.callback.SessionEnd;
import kz.freedomid.login.ConsentStore;
import kz.freedomid.platform.Transactions;
import kz.freedomid.token.TokenService;
import kz.freedomid.token.TokenStore;
import kz.freedomid.user.User;
import kz.freedomid.user.UserService;

/**
 * The rules of the user's own account page (contract section 5): what they see, and what ending access does.
 * Revoking a partner or ending a session revokes the affected token pairs and queues their revoke callbacks (3.10)
 * in the same transaction.
 */
public final class AccountService {
    public record Overview(User user, List<AccountStore.ConnectedPartner> partners, List<AccountStore.ActiveSession> sessions) {}

    public enum PasswordChange { CHANGED, WRONG_CURRENT, TOO_SHORT, TOO_COMMON, TOO_LONG }

    /** The profile form as typed: blank fields clear the value; additional phones and emails one per line. */
    public record ProfileForm(String firstname, String lastname, String patronymic, String dateOfBirth, String gender,
                              String country, String nationality, String email, List<String> phones, List<String> emails) {}

    public sealed interface ProfileOutcome {
        record Saved() implements ProfileOutcome {}

        /** Field names (as in the partner API: firstname, phones.1, …) whose values were refused. */
        record Invalid(java.util.Set<String> fields) implements ProfileOutcome {}

        record EmailTaken() implements ProfileOutcome {}
    }

    private final AccountStore store;
    private final ConsentStore consents;
    private final UserService users;
    private final TokenService tokens;
    private final SessionEnd sessionEnd;
    private final Transactions transactions;
    private final Clock clock;

    public AccountService(AccountStore store, ConsentStore consents, UserService users, TokenService tokens,
                          SessionEnd sessionEnd, Transactions transactions, Clock clock) {
        this.store = store;
        this.consents = consents;
        this.users = users;
        this.tokens = tokens;
        this.sessionEnd = sessionEnd;
        this.transactions = transactions;
        this.clock = clock;
    }

    public Optional<Overview> overview(UUID userId, UUID currentSessionId) {
        return users.find(userId).filter(User::active).map(user -> new Overview(user, store.connectedPartners(userId),
                store.activeSessions(userId, clock.instant())));
    }

    public kz.freedomid.user.UserExtras extras(UUID userId) {
        return users.extras(userId);
    }

    /** The user withdraws a partner's access: consent forgotten, every pair revoked, the partner called back. */
    public int revokePartner(UUID userId, UUID clientId) {
        return transactions.inTransaction(() -> {
            consents.withdraw(userId, clientId);
            List<TokenStore.RevokedPair> revoked = tokens.revokeUserAtPartner(userId, clientId, "partner_revoked");
            sessionEnd.queueRevokeCallbacks(revoked);
            return revoked.size();
        });
    }

    /** Ends one of the user's own sessions (another device, or this one); false when it is not theirs or ended. */
    public boolean endSession(UUID userId, UUID sessionId) {
        if (!store.ownerOfLiveSession(sessionId).map(userId::equals).orElse(false)) return false;
        return sessionEnd.endSession(sessionId, userId, "session_ended");
    }

    public void logout(UUID userId, UUID sessionId) {
        sessionEnd.endSession(sessionId, userId, "logout");
    }

    /** The user edits their own profile; the phone, their sign-in identity, is not changed here. */
    public ProfileOutcome updateProfile(UUID userId, ProfileForm form) {
        kz.freedomid.user.UserInput input = new kz.freedomid.user.UserInput(kz.freedomid.user.Patch.keep(),
                text(form.email()), text(form.firstname()), text(form.lastname()), text(form.patronymic()),
                text(form.dateOfBirth()), text(form.gender()), text(form.country()), text(form.nationality()),
                kz.freedomid.user.Patch.keep(), kz.freedomid.user.Patch.put(form.phones()),
                kz.freedomid.user.Patch.put(form.emails()));
        try {
            users.update(userId, input, null);
            return new ProfileOutcome.Saved();
        } catch (kz.freedomid.platform.FreedomException e) {
            return switch (e.error()) {
                case VALIDATION -> new ProfileOutcome.Invalid(e.fieldErrors().keySet());
                case CONTACT_TAKEN -> new ProfileOutcome.EmailTaken();
                default -> throw e;
            };
        }
    }

    private static kz.freedomid.user.Patch<String> text(String value) {
        return value == null || value.isBlank() ? kz.freedomid.user.Patch.clear() : kz.freedomid.user.Patch.put(value.strip());
    }

    /** Sets a first password, or changes it when the current one is given right. */
    public PasswordChange changePassword(User user, String current, String fresh) {
        if (user.hasPassword() && users.checkPassword(user.phone(), current == null ? "" : current).isEmpty()) {
            return PasswordChange.WRONG_CURRENT;
        }
        return switch (users.passwordProblem(fresh, user)) {
            case NONE -> {
                users.setPassword(user.id(), fresh);
                yield PasswordChange.CHANGED;
            }
            case TOO_SHORT -> PasswordChange.TOO_SHORT;
            case TOO_LONG -> PasswordChange.TOO_LONG;
            case TOO_COMMON -> PasswordChange.TOO_COMMON;
        };
    }
}
