package kz.freedomid.dpop;

/**
 * A DPoP proof that was refused (RFC 9449 §4.3, §7.1): {@code invalid_dpop_proof}, or {@code use_dpop_nonce} when the
 * proof lacks the server's nonce or carries a stale one (§8, §9). {@code nonce} is the fresh nonce to send back.
 */
public final class DPoPException extends RuntimeException {
    public static final String INVALID_PROOF = "invalid_dpop_proof";
    public static final String USE_NONCE = "use_dpop_nonce";

    private final String error;
    private final String description;
    private final String nonce;

    DPoPException(String error, String description, String nonce) {
        super(error + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
        this.nonce = nonce;
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    /** The nonce to return in a {@code DPoP-Nonce} header. */
    public String nonce() {
        return nonce;
    }

    /** The {@code WWW-Authenticate} challenge of a protected resource (RFC 9449 §7.1). */
    public String challenge() {
        return DPoP.challenge(error, description);
    }
}
