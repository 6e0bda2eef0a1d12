package kz.freedomid.platform;

/** The partner API's error table (contract section 2): code, HTTP status and fixed public message. */
public enum FreedomError {
    INVALID_CLIENT(100001, 401, "Invalid client credentials."),
    INVALID_ACCESS_TOKEN(100002, 401, "Invalid or expired access token."),
    FORBIDDEN(100003, 403, "The token does not allow this action."),
    VALIDATION(100004, 422, "Error validating transmitted data."),
    RATE_LIMITED(100005, 429, "Too many requests."),
    NOT_FOUND(100006, 404, "Resource not found."),
    CONTACT_TAKEN(100007, 409, "The phone or email already belongs to another user."),
    MALFORMED_BODY(100008, 400, "Malformed request body."),
    REQUEST_ID_CONFLICT(100009, 409, "The request_id is already used."),
    INVALID_AUTHORIZATION_CODE(100101, 400, "Invalid authorization_code."),
    LOGIN_LINK_EXPIRED(100102, 0, "The login link has expired."),
    USER_DECLINED(100103, 0, "The user declined the request."),
    INVALID_REFRESH_TOKEN(100104, 401, "Invalid or expired refresh token."),
    REFRESH_TOKEN_REUSED(100105, 401, "Refresh token reused; the grant was revoked."),
    INTERNAL(100500, 500, "Internal error."),
    UNAVAILABLE(100503, 503, "Service temporarily unavailable. Retry later.");

    private final int code;
    private final int httpStatus;
    private final String message;

    FreedomError(int code, int httpStatus, String message) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.message = message;
    }

    public int code() {
        return code;
    }

    /** 0 for codes that travel only on a redirect to the partner, never as an HTTP response. */
    public int httpStatus() {
        return httpStatus;
    }

    public String message() {
        return message;
    }
}
