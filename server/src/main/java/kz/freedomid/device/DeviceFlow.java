package kz.freedomid.device;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.login.ConsentStore;
import kz.freedomid.login.WebSession;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Secrets;
import kz.freedomid.platform.Transactions;
import kz.freedomid.token.IssuedTokens;
import kz.freedomid.token.TokenService;

/**
 * The device authorization grant (RFC 8628): a client starts a request, a signed-in user approves or denies it on the
 * {@code /device} page by its user code, and the client's polls of the device code are answered until the request
 * buys tokens once. Knows nothing of HTTP.
 */
public final class DeviceFlow {
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    static final Duration LIFETIME = Duration.ofMinutes(10);
    /** RFC 8628 §3.2: 5 seconds when the server says nothing; §3.5: slow_down adds 5 seconds. */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final Duration SLOW_DOWN = Duration.ofSeconds(5);
    private static final int DEVICE_CODE_LENGTH = 43;

    public record Started(String deviceCode, String userCode, long expiresIn, long interval) {}

    /** A pending request as the user sees it before deciding. */
    public record Pending(String userCode, Partner partner, Set<Grant> grants) {}

    public enum Lookup { UNKNOWN, EXPIRED, DECIDED }

    /** The answer to a poll that buys no tokens, as the RFC 8628 §3.5 / RFC 6749 §5.2 error code. */
    public enum Refusal {
        AUTHORIZATION_PENDING("authorization_pending", "The user has not yet approved the request."),
        SLOW_DOWN("slow_down", "Polling too fast; wait 5 more seconds between polls."),
        ACCESS_DENIED("access_denied", "The user denied the request."),
        EXPIRED_TOKEN("expired_token", "The device_code has expired; start again."),
        INVALID_GRANT("invalid_grant", "The device_code is invalid or was already used.");

        public final String error;
        public final String description;

        Refusal(String error, String description) {
            this.error = error;
            this.description = description;
        }
    }

    public sealed interface Redeemed {
        record Tokens(IssuedTokens tokens) implements Redeemed {}

        record Refused(Refusal refusal) implements Redeemed {}
    }

    /** Deletes expired requests every five minutes, on whichever node runs it. */
    public final RecurringTask<Void> cleanup;
    private final DeviceAuthorizationStore store;
    private final PartnerService partners;
    private final ConsentStore consents;
    private final TokenService tokens;
    private final Transactions transactions;
    private final AuditLog audit;
    private final Secrets secrets;
    private final Clock clock;
    private final kz.freedomid.login.SessionService sessions;

    public DeviceFlow(DeviceAuthorizationStore store, PartnerService partners, ConsentStore consents, TokenService tokens,
                      Transactions transactions, AuditLog audit, Secrets secrets, Clock clock,
                      kz.freedomid.login.SessionService sessions) {
        this.sessions = sessions;
        this.cleanup = Tasks.recurring("device-authorization-cleanup", FixedDelay.ofMinutes(5))
                .execute((instance, ctx) -> cleanup());
        this.store = store;
        this.partners = partners;
        this.consents = consents;
        this.tokens = tokens;
        this.transactions = transactions;
        this.audit = audit;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Starts a request for grants the caller has checked against the client. */
    public Started start(Partner client, Set<Grant> grants) {
        Instant now = clock.instant();
        String deviceCode = secrets.alphanumeric(DEVICE_CODE_LENGTH);
        for (int attempt = 0; ; attempt++) {
            String userCode = UserCodes.generate(secrets.random());
            DeviceAuthorization request = new DeviceAuthorization(Secrets.sha256(deviceCode),
                    userCodeHash(UserCodes.normalize(userCode).orElseThrow()), client.clientId(), grants,
                    DeviceAuthorization.Status.PENDING, INTERVAL, now, now.plus(LIFETIME), null, null, null, null, null);
            if (store.insert(request)) return new Started(deviceCode, userCode, LIFETIME.toSeconds(), INTERVAL.toSeconds());
            if (attempt == 5) throw new IllegalStateException("no free user code after 6 draws");
        }
    }

    /** The pending request this typed user code names, or why there is none. */
    public Optional<Pending> pending(String typedUserCode) {
        return find(typedUserCode).filter(r -> lookup(r) == null).flatMap(r -> partnerOf(r)
                .map(p -> new Pending(UserCodes.display(UserCodes.normalize(typedUserCode).orElseThrow()), p, r.grants())));
    }

    /** Why {@link #pending} found nothing. */
    public Lookup whyNotPending(String typedUserCode) {
        Optional<DeviceAuthorization> found = find(typedUserCode);
        if (found.isEmpty() || partnerOf(found.get()).isEmpty()) return Lookup.UNKNOWN;
        Lookup why = lookup(found.get());
        return why == null ? Lookup.UNKNOWN : why;
    }

    /**
     * The signed-in user's decision. Approval remembers the consent (audited as {@code consent.granted}) and binds the
     * tokens to come to {@code session}, so that ending the session revokes them. False when the request is no longer
     * pending.
     */
    public boolean decide(String typedUserCode, WebSession session, boolean approve, String clientIp) {
        Optional<Pending> pending = pending(typedUserCode);
        if (pending.isEmpty() || !session.signedIn()) return false;
        String hash = userCodeHash(UserCodes.normalize(typedUserCode).orElseThrow());
        Instant now = clock.instant();
        boolean decided = approve
                ? store.decide(hash, now, session.userId(), session.id(), session.authTime(), session.amr())
                : store.decide(hash, now, null, null, null, null);
        if (decided && approve) remember(session, pending.get(), clientIp);
        return decided;
    }

    /** A poll of the token endpoint (RFC 8628 §3.4, §3.5) by an authenticated client. */
    public Redeemed redeem(Partner client, String deviceCode, String clientIp, String dpopJkt) {
        if (deviceCode == null || deviceCode.length() != DEVICE_CODE_LENGTH) return refused(Refusal.INVALID_GRANT);
        String hash = Secrets.sha256(deviceCode);
        Instant now = clock.instant();
        Optional<DeviceAuthorization> found = store.poll(hash, client.clientId(), now, SLOW_DOWN);
        if (found.isEmpty()) return refused(Refusal.INVALID_GRANT);
        DeviceAuthorization r = found.get();
        if (r.status() == DeviceAuthorization.Status.CONSUMED) return refused(Refusal.INVALID_GRANT);
        if (r.expiredAt(now)) return refused(Refusal.EXPIRED_TOKEN);
        if (r.status() == DeviceAuthorization.Status.DENIED) return refused(Refusal.ACCESS_DENIED);
        if (r.status() == DeviceAuthorization.Status.PENDING) {
            return refused(r.polledTooSoon(now) ? Refusal.SLOW_DOWN : Refusal.AUTHORIZATION_PENDING);
        }
        // Approved: consuming the request and storing the pair are one transaction, so a request buys tokens once.
        // Tokens are bound to the approving session: once it has ended (logout, expiry), nothing would revoke them.
        if (!sessions.unendedOf(r.userId()).contains(r.sessionId())) return refused(Refusal.ACCESS_DENIED);
        return transactions.inTransaction(() -> {
            if (!store.consume(hash)) return refused(Refusal.INVALID_GRANT);
            return new Redeemed.Tokens(tokens.issueForDevice(client, r.userId(), r.sessionId(), r.grants(), r.authTime(),
                    r.amr(), clientIp, dpopJkt));
        });
    }

    int cleanup() {
        return store.deleteExpired(clock.instant());
    }

    private Optional<DeviceAuthorization> find(String typedUserCode) {
        return UserCodes.normalize(typedUserCode).map(DeviceFlow::userCodeHash).flatMap(store::findByUserCode);
    }

    private Lookup lookup(DeviceAuthorization r) {
        if (r.expiredAt(clock.instant())) return Lookup.EXPIRED;
        return r.status() == DeviceAuthorization.Status.PENDING ? null : Lookup.DECIDED;
    }

    private Optional<Partner> partnerOf(DeviceAuthorization r) {
        return partners.find(r.clientId()).filter(Partner::active).filter(p -> p.settings().deviceGrant());
    }

    private void remember(WebSession session, Pending pending, String clientIp) {
        Set<Grant> before = consents.granted(session.userId(), pending.partner().clientId());
        if (before.containsAll(pending.grants())) return;
        Set<Grant> all = new HashSet<>(before);
        all.addAll(pending.grants());
        consents.save(session.userId(), pending.partner().clientId(), all, clock.instant());
        Set<Grant> added = new HashSet<>(pending.grants());
        added.removeAll(before);
        audit.record(Actor.user(session.userId()), "consent.granted", pending.partner().clientId(), clientIp,
                AuditEvent.details("grants", added.stream().map(Grant::wireName).toList(), "grant_type", GRANT_TYPE));
    }

    private static Redeemed refused(Refusal refusal) {
        return new Redeemed.Refused(refusal);
    }

    /** The user code is low-entropy by design, so its hash is no secret against guessing; it keeps the code off disk. */
    private static String userCodeHash(String normalized) {
        return Secrets.sha256("user_code:" + normalized);
    }
}
