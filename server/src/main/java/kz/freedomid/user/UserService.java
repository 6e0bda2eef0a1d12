package kz.freedomid.user;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import kz.freedomid.platform.Ids;

/** Creates and finds users. Phone numbers are the identity: {@code +} and 10 to 15 digits. */
public final class UserService {
    public static final Pattern PHONE = Pattern.compile("^\\+\\d{10,15}$");
    public static final int MIN_PASSWORD_LENGTH = 8;

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
        store.insert(user, request.createdBy());
        return user;
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

    public void setPassword(UUID id, String password) {
        store.setPassword(id, passwords.hash(password), clock.instant());
    }

    /** Phone + password check that costs the same whether or not the phone is registered. */
    public Optional<User> checkPassword(String phone, String password) {
        Optional<User> user = store.findByPhone(phone).filter(User::active);
        boolean ok = passwords.verify(password, user.map(User::passwordHash).orElse(null));
        return ok ? user : Optional.empty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
