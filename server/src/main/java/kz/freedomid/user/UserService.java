package kz.freedomid.user;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Ids;

/** Creates and finds users. Phone numbers are the identity: {@code +} and 10 to 15 digits. */
public final class UserService {
    public static final Pattern PHONE = Pattern.compile("^\\+\\d{10,15}$");
    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 128;

    public enum PasswordProblem { NONE, TOO_SHORT, TOO_LONG, TOO_COMMON }

    private final UserStore store;
    private final PasswordHasher passwords;
    private final Ids ids;
    private final Clock clock;

    public UserService(UserStore store, PasswordHasher passwords, Ids ids, Clock clock) {
        this.store = store;
        this.passwords = passwords;
        this.ids = ids;
        this.clock = clock;
    }

    /** Lenient input form: spaces, dashes and brackets are dropped; a leading 8 or 7 of a KZ number is not guessed. */
    public static Optional<String> normalizePhone(String raw) {
        if (raw == null) return Optional.empty();
        String compact = raw.replaceAll("[\\s\\-()]", "");
        return PHONE.matcher(compact).matches() ? Optional.of(compact) : Optional.empty();
    }

    /** @throws ContactTakenException when the phone or email is taken */
    public User create(NewUser request) {
        String phone = normalizePhone(request.phone())
                .orElseThrow(() -> new IllegalArgumentException("phone must be + and 10 to 15 digits"));
        if (request.password() != null && request.password().length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        String email = request.email() == null || request.email().isBlank() ? null : request.email().strip().toLowerCase(java.util.Locale.ROOT);
        if (email != null && !email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
            throw new IllegalArgumentException("invalid email: " + email);
        }
        var now = clock.instant();
        User user = new User(ids.random(), phone, email, blankToNull(request.firstname()), blankToNull(request.lastname()),
                null, null, null, null, null, null,
                request.password() == null ? null : passwords.hash(request.password()),
                request.phoneVerified(), false, true, now, null);
        store.insert(user, request.createdBy(), List.of(), List.of());
        return user;
    }

    /**
     * Contract 3.8: a user with the contract's validation (422 with the field map) whose phone and email, additional
     * ones included, belong to nobody else (409). Nothing is written unless everything is.
     */
    public User create(UserInput input, UUID createdBy) {
        FieldErrors errors = new FieldErrors();
        UserInput in = UserRules.check(input, true, today(), errors);
        errors.throwIfAny();
        String phone = in.phone().applyTo(null);
        String email = in.email().applyTo(null);
        List<String> phones = listOrEmpty(in.phones().applyTo(null));
        List<String> emails = listOrEmpty(in.emails().applyTo(null));
        UserRules.checkNoRepeats(phone, phones, email, emails, errors);
        errors.throwIfAny();
        User user = new User(ids.random(), phone, email, in.firstname().applyTo(null), in.lastname().applyTo(null),
                in.patronymic().applyTo(null), UserRules.parseDate(in.dateOfBirth().applyTo(null)), in.gender().applyTo(null),
                in.country().applyTo(null), in.nationality().applyTo(null), in.identifier().applyTo(null), null,
                false, false, true, clock.instant(), null);
        try {
            store.insert(user, createdBy, phones, emails);
        } catch (ContactTakenException e) {
            throw contactTaken();
        }
        return user;
    }

    /**
     * Contract 3.9: omitted fields stay, {@code null} clears (never the phone). A new phone or email is no longer
     * verified. {@code partner} may change only users it created; null stands for an operator, who may change any.
     *
     * @return the user as stored after the change, with its additional phones and emails
     */
    public EditableUser update(UUID id, UserInput input, UUID partner) {
        FieldErrors errors = new FieldErrors();
        UserInput in = UserRules.check(input, false, today(), errors);
        errors.throwIfAny();
        try {
            return store.update(id, before -> {
                if (partner != null && !partner.equals(before.createdBy())) {
                    throw new FreedomException(FreedomError.FORBIDDEN, "user " + id + " was not created by " + partner);
                }
                return apply(before, in);
            }, clock.instant()).orElseThrow(() -> new FreedomException(FreedomError.NOT_FOUND, "no user " + id));
        } catch (ContactTakenException e) {
            throw contactTaken();
        }
    }

    /** Blocks (no sign-in, every token dead) or unblocks a user; false when there is no such user. */
    public boolean setActive(UUID id, boolean active) {
        return store.setActive(id, active, clock.instant());
    }

    /** Users holding this phone or email, as their own or as an additional one. */
    public List<User> search(String phone, String email, int limit) {
        return store.search(phone, email, limit);
    }

    /** Deletes the user with their tokens, consents, sessions, profile requests, phones, emails and cards. */
    public boolean delete(UUID id) {
        return store.delete(id);
    }

    public UserExtras extras(UUID id) {
        return store.extras(id);
    }

    private static EditableUser apply(EditableUser before, UserInput in) {
        User u = before.user();
        String phone = in.phone().applyTo(u.phone());
        String email = in.email().applyTo(u.email());
        List<String> phones = listOrEmpty(in.phones().applyTo(before.phones()));
        List<String> emails = listOrEmpty(in.emails().applyTo(before.emails()));
        FieldErrors errors = new FieldErrors();
        UserRules.checkNoRepeats(phone, phones, email, emails, errors);
        errors.throwIfAny();
        LocalDate dateOfBirth = in.dateOfBirth().isKeep() ? u.dateOfBirth()
                : UserRules.parseDate(in.dateOfBirth().applyTo(null));
        User after = new User(u.id(), phone, email, in.firstname().applyTo(u.firstname()),
                in.lastname().applyTo(u.lastname()), in.patronymic().applyTo(u.patronymic()), dateOfBirth,
                in.gender().applyTo(u.gender()), in.country().applyTo(u.country()),
                in.nationality().applyTo(u.nationality()), in.identifier().applyTo(u.identifier()), u.passwordHash(),
                u.phoneVerified() && phone.equals(u.phone()), u.emailVerified() && Objects.equals(email, u.email()),
                u.active(), u.createdAt(), u.lastLoginAt());
        return new EditableUser(after, before.createdBy(), phones, emails);
    }

    private static List<String> listOrEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static FreedomException contactTaken() {
        return new FreedomException(FreedomError.CONTACT_TAKEN, "phone or email already belongs to another user");
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public Optional<User> find(UUID id) {
        return store.find(id);
    }

    public Optional<User> findByPhone(String phone) {
        return store.findByPhone(phone);
    }

    /** @param phoneVerified the sign-in proved the phone (an SMS code), which marks it verified */
    public void recordLogin(UUID id, boolean phoneVerified) {
        store.recordLogin(id, phoneVerified, clock.instant());
    }

    /**
     * Whether a new password is acceptable: long enough (OWASP: at least 8), not absurdly long, not on the shipped list
     * of common passwords, and not the user's own phone number.
     */
    public PasswordProblem passwordProblem(String password, User user) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) return PasswordProblem.TOO_SHORT;
        if (password.length() > MAX_PASSWORD_LENGTH) return PasswordProblem.TOO_LONG;
        String digits = password.replaceAll("[^0-9]", "");
        boolean isPhone = user != null && !digits.isEmpty() && user.phone().endsWith(digits) && digits.length() >= 7
                && digits.length() == password.replaceAll("[+\\s()-]", "").length();
        if (CommonPasswords.contains(password) || isPhone) return PasswordProblem.TOO_COMMON;
        return PasswordProblem.NONE;
    }

    public void setPassword(UUID id, String password) {
        store.setPassword(id, passwords.hash(password), clock.instant());
    }

    /** Phone + password check that costs the same whether or not the phone is registered. */
    public Optional<User> checkPassword(String phone, String password) {
        Optional<User> user = store.findByPhone(phone).filter(User::active);
        boolean ok = passwords.verify(password, user.map(User::passwordHash).orElse(null));
        if (ok && passwords.needsRehash(user.get().passwordHash())) {
            store.setPassword(user.get().id(), passwords.hash(password), clock.instant()); // parameters changed since
        }
        return ok ? user : Optional.empty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
