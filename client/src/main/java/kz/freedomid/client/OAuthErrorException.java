package kz.freedomid.client;

/** An RFC 6749 §5.2 error of the OIDC endpoints: {@code {"error":"invalid_grant","error_description":…}}. */
public class OAuthErrorException extends RuntimeException {
    private final String error;
    private final String description;
    private final int httpStatus;

    public OAuthErrorException(String error, String description, int httpStatus) {
        super(description == null ? error : error + ": " + description);
        this.error = error;
        this.description = description;
        this.httpStatus = httpStatus;
    }

    /** The OAuth error code, such as {@code invalid_client} or {@code invalid_scope}. */
    public String error() {
        return error;
    }

    /** The human-readable description, or null. */
    public String description() {
        return description;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
