package kz.freedomid.registration;

/**
 * A refused registration request, with the error code of RFC 7591 §3.2.2 ({@code invalid_redirect_uri},
 * {@code invalid_client_metadata}, {@code invalid_software_statement}) or RFC 6750 §3.1 ({@code invalid_token}) and a
 * public description. The routes turn it into the OAuth error response.
 */
public final class RegistrationException extends RuntimeException {
    public static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";
    public static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";
    public static final String INVALID_SOFTWARE_STATEMENT = "invalid_software_statement";
    public static final String INVALID_TOKEN = "invalid_token";

    private final String error;
    /** For the log only: why a token was refused, which the answer must not tell. */
    private final String logReason;

    public RegistrationException(String error, String description) {
        this(error, description, null);
    }

    private RegistrationException(String error, String description, String logReason) {
        super(description, null, false, false);
        this.error = error;
        this.logReason = logReason;
    }

    public String logReason() {
        return logReason == null ? getMessage() : logReason;
    }

    static RegistrationException metadata(String description) {
        return new RegistrationException(INVALID_CLIENT_METADATA, description);
    }

    static RegistrationException redirect(String description) {
        return new RegistrationException(INVALID_REDIRECT_URI, description);
    }

    /** The same answer for a missing, unknown, expired, used-up or other client's token: nothing is revealed. */
    static RegistrationException invalidToken() {
        return invalidToken(null);
    }

    static RegistrationException invalidToken(String logReason) {
        return new RegistrationException(INVALID_TOKEN, "The access token is missing, invalid or expired.", logReason);
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
