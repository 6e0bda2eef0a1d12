package kz.freedomid.callback;

import java.util.UUID;
import kz.freedomid.jobs.JobQueue;
import kz.freedomid.login.SessionService;
import kz.freedomid.login.WebSession;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.token.TokenService;
import kz.freedomid.token.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a Freedom ID session ends (logout, expiry, a revoked partner, a blocked user): its live token pairs are
 * revoked, then one revoke callback per pair with a revoke_uri (contract 3.10) and one back-channel logout token per
 * partner with a back-channel URI are queued. Nothing is sent on the caller's thread.
 */
public final class SessionEnd {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEnd.class);

    private final TokenService tokens;
    private final SessionService sessions;
    private final PartnerService partners;
    private final JobQueue jobs;
    private final CallbackJobs callbacks;

    public SessionEnd(TokenService tokens, SessionService sessions, PartnerService partners, JobQueue jobs,
                      CallbackJobs callbacks) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.partners = partners;
        this.jobs = jobs;
        this.callbacks = callbacks;
    }

    /** Ends the browser session and notifies the partners; {@code reason} is stored as the pairs' revoke reason. */
    public void endSession(WebSession session, String reason) {
        notifyPartners(session.id(), session.userId(), reason);
        sessions.end(session);
    }

    /**
     * Due now, truncated to milliseconds: a time with nanoseconds may be rounded up by the database and then not be due
     * until the clock moves on (a frozen test clock never does).
     */
    private java.time.Instant now() {
        return tokens.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Revokes the session's pairs and queues the notifications, for a session already ended elsewhere. */
    public void notifyPartners(UUID sessionId, UUID userId, String reason) {
        TokenStore.SessionRevocation revocation = tokens.revokeSession(sessionId, reason);
        for (TokenStore.RevokedPair pair : revocation.revoked()) {
            if (pair.revokeUri() == null || pair.revokeUri().isBlank()) continue;
            jobs.enqueueAt(callbacks.revokeTask, "revoke:" + pair.id(), callbacks.revokeData(pair.id(), pair.revokeUri()), now());
        }
        for (UUID clientId : revocation.clients()) {
            partners.find(clientId).map(p -> p.settings().backchannelLogoutUri()).filter(uri -> !uri.isBlank())
                    .ifPresent(uri -> jobs.enqueueAt(callbacks.logoutTask, "logout:" + sessionId + ":" + clientId,
                            callbacks.logoutData(clientId, sessionId, userId, uri), now()));
        }
        LOG.debug("session {} ended ({}): {} pairs revoked", sessionId, reason, revocation.revoked().size());
    }
}
