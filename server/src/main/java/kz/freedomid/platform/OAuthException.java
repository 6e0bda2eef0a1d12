package kz.freedomid.platform;

/**
 * An OAuth error on the OpenID Connect face (RFC 6749 §5.2, RFC 6750 §3): the error code, a public description, and
 * the HTTP status. The detail for the log stays in the message.
 */
public final class OAuthException extends RuntimeException {
    private final String error;
    private final String description;
    private final int status;
    private final String wwwAuthenticate;

    private OAuthException(String error, String description, int status, String wwwAuthenticate) {
        super(error + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
        this.status = status;
        this.wwwAuthenticate = wwwAuthenticate;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException("invalid_request", description, 400, null);
    }

    /** 401 with a Basic challenge when the client tried Basic (RFC 6749 §5.2), else 401 all the same. */
    public static OAuthException invalidClient(boolean triedBasic) {
        return new OAuthException("invalid_client", "Client authentication failed.", 401,
                triedBasic ? "Basic realm=\"freedom-id\"" : null);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException("invalid_grant", description, 400, null);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException("unauthorized_client", description, 400, null);
    }

    public static OAuthException unsupportedGrantType(String grantType) {
        return new OAuthException("unsupported_grant_type", "Grant type '" + grantType + "' is not supported.", 400, null);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException("invalid_scope", description, 400, null);
    }

    /** RFC 6750 §3.1. */
    public static OAuthException invalidToken(String description) {
        return new OAuthException("invalid_token", description, 401,
                "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    public static OAuthException insufficientScope(String description) {
        return new OAuthException("insufficient_scope", description, 403,
                "Bearer error=\"insufficient_scope\", error_description=\"" + description + "\"");
    }

    public static OAuthException of(int status, String error, String description) {
        return new OAuthException(error, description, status, null);
    }

    /** An error with its own WWW-Authenticate challenge (e.g. RFC 9449 §7.1's DPoP scheme). */
    public static OAuthException withChallenge(int status, String error, String description, String wwwAuthenticate) {
        return new OAuthException(error, description, status, wwwAuthenticate);
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public int status() {
        return status;
    }

    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
