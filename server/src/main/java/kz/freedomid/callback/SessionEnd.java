package kz.freedomid.callback;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import kz.freedomid.jobs.JobQueue;
import kz.freedomid.login.SessionService;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Transactions;
import kz.freedomid.token.TokenService;
import kz.freedomid.token.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a Freedom ID session ends (logout, expiry, a revoked partner, a blocked user). In one transaction the
 * session is marked ended, its live token pairs are revoked, and one revoke callback per pair with a revoke_uri
 * (contract 3.10) and one back-channel logout token per partner with a back-channel URI are queued: a crash can lose
 * none of them, and a session ended twice notifies once. Nothing is sent on the caller's thread.
 */
public final class SessionEnd {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEnd.class);

    private final Transactions transactions;
    private final TokenService tokens;
    private final SessionService sessions;
    private final PartnerService partners;
    private final JobQueue jobs;
    private final CallbackJobs callbacks;

    public SessionEnd(Transactions transactions, TokenService tokens, SessionService sessions, PartnerService partners,
                      JobQueue jobs, CallbackJobs callbacks) {
        this.transactions = transactions;
        this.tokens = tokens;
        this.sessions = sessions;
        this.partners = partners;
        this.jobs = jobs;
        this.callbacks = callbacks;
    }

    /**
     * Ends the session and notifies its partners; {@code reason} is stored as the pairs' revoke reason. False when the
     * session had already ended (its partners were told then).
     */
    public boolean endSession(UUID sessionId, UUID userId, String reason) {
        int revoked = transactions.inTransaction(() -> {
            if (!sessions.end(sessionId)) return -1;
            return revokeAndQueue(sessionId, userId, reason);
        });
        if (revoked >= 0) LOG.debug("session {} ended ({}): {} pairs revoked", sessionId, reason, revoked);
        return revoked >= 0;
    }

    /** Ends every session of the user (an admin blocked them); returns how many were ended. */
    public int endAllSessionsOf(UUID userId, String reason) {
        int ended = 0;
        for (UUID sessionId : sessions.unendedOf(userId)) {
            if (endSession(sessionId, userId, reason)) ended++;
        }
        return ended;
    }

    /**
     * Queues the revoke callback of each pair that has a revoke_uri. Call it inside the transaction that revoked the
     * pairs, so the callbacks exist exactly when the revocation does.
     */
    public void queueRevokeCallbacks(java.util.List<TokenStore.RevokedPair> revoked) {
        Instant now = now();
        for (TokenStore.RevokedPair pair : revoked) {
            if (pair.revokeUri() == null || pair.revokeUri().isBlank()) continue;
            jobs.enqueueInTransaction(callbacks.revokeTask, "revoke:" + pair.id(),
                    callbacks.revokeData(pair.id(), pair.revokeUri()), now);
        }
    }

    /**
     * An operator blocks or deletes the user: every session ends, and every pair still live (whatever session it came
     * from) is revoked, each with its callbacks. Returns how many pairs were revoked.
     */
    public int endEverythingOf(UUID userId, String reason) {
        endAllSessionsOf(userId, reason);
        return transactions.inTransaction(() -> {
            java.util.List<TokenStore.RevokedPair> revoked = tokens.revokeUserAtPartner(userId, null, reason);
            queueRevokeCallbacks(revoked);
            return revoked.size();
        });
    }

    private int revokeAndQueue(UUID sessionId, UUID userId, String reason) {
        TokenStore.SessionRevocation revocation = tokens.revokeSession(sessionId, userId, reason);
        queueRevokeCallbacks(revocation.revoked());
        Instant now = now();
        for (UUID clientId : revocation.clients()) {
            partners.find(clientId).map(p -> p.settings().backchannelLogoutUri()).filter(uri -> !uri.isBlank())
                    .ifPresent(uri -> jobs.enqueueInTransaction(callbacks.logoutTask, "logout:" + sessionId + ":" + clientId,
                            callbacks.logoutData(clientId, sessionId, userId, uri), now));
        }
        return revocation.revoked().size();
    }

    /**
     * Due now, truncated to milliseconds: a time with nanoseconds may be rounded up by the database and then not be due
     * until the clock moves on (a frozen test clock never does).
     */
    private Instant now() {
        return tokens.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
