package kz.freedomid.login;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;

/** A login link (contract 3.1): where to send the user back, with which grants. Single use. */
public record LoginTrack(UUID id, UUID clientId, String redirectUri, Set<Grant> grants, String state,
                         Instant createdAt, Instant expiresAt, Instant finishedAt, OidcRequest oidc) {
    /**
     * What an OpenID Connect authorization request adds (contract 4.2); null for the partner API's links.
     * {@code prompt} is "login", "consent" or null; {@code maxAge} null when not given.
     */
    /** {@code dpopJkt}: the DPoP key the code is bound to (RFC 9449 §10), null when none. */
    public record OidcRequest(String nonce, String codeChallenge, String prompt, Integer maxAge, String loginHint,
                              String dpopJkt) {
        public OidcRequest(String nonce, String codeChallenge, String prompt, Integer maxAge, String loginHint) {
            this(nonce, codeChallenge, prompt, maxAge, loginHint, null);
        }
    }

    /** A sign-in to the user's own account page: no partner, no consent, no code; it returns to {@code redirectUri}. */
    public boolean isAccount() {
        return clientId == null;
    }

    public boolean isOidc() {
        return oidc != null;
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
