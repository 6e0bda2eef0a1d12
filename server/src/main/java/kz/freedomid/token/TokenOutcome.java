package kz.freedomid.token;

/** What a code exchange or a refresh came to; each face turns a rejection into its own error. */
public sealed interface TokenOutcome {
    record Issued(IssuedTokens tokens) implements TokenOutcome {}

    /** {@code revoked} is set when a reuse ({@link Reason#REUSED}) revoked the grant, for the audit trail. */
    record Rejected(Reason reason, RevokedGrant revoked) implements TokenOutcome {
        public Rejected(Reason reason) {
            this(reason, null);
        }
    }

    /** A grant revoked because its code or a rotated refresh token was presented again. */
    record RevokedGrant(java.util.UUID grantId, java.util.UUID clientId, java.util.UUID userId, int pairs) {}

    enum Reason {
        /** No such code or refresh token. */
        UNKNOWN,
        EXPIRED,
        /** Issued to another partner. */
        WRONG_CLIENT,
        /** redirect_uri differs from the authorization request's (OIDC, RFC 6749 §4.1.3). */
        REDIRECT_MISMATCH,
        /** PKCE code_verifier missing or not matching the code_challenge (RFC 7636 §4.6). */
        PKCE_FAILED,
        /** Revoked, or the user or partner is disabled. */
        REVOKED,
        /** DPoP (RFC 9449): no proof, or a proof of another key, for a code or refresh token bound to a key. */
        DPOP_KEY_MISMATCH,
        /** A code used twice or a rotated refresh token presented again: the grant was revoked. */
        REUSED
    }
}
