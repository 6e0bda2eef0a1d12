package kz.freedomid.client;

import java.util.List;
import java.util.Map;

/**
 * An error answer of the Freedom ID partner API (contract section 2):
 * {@code {"error":{"message":…,"code":…,"errors":{…}}}} with its HTTP status.
 */
public class FreedomIdException extends RuntimeException {
    /** Invalid, expired or already used authorization code. */
    public static final int INVALID_AUTHORIZATION_CODE = 100101;
    /** Invalid or expired refresh token. */
    public static final int INVALID_REFRESH_TOKEN = 100104;
    /** A rotated refresh token was presented again: the whole grant was revoked. */
    public static final int REFRESH_TOKEN_REUSED = 100105;
    /** Validation failed; see {@link #fieldErrors()}. */
    public static final int VALIDATION_FAILED = 100004;
    /** Missing, invalid, expired or revoked access token. */
    public static final int INVALID_ACCESS_TOKEN = 100002;

    private final int code;
    private final int httpStatus;
    private final Map<String, List<String>> fieldErrors;

    public FreedomIdException(int code, int httpStatus, String message, Map<String, List<String>> fieldErrors) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
        this.fieldErrors = fieldErrors == null ? Map.of() : Map.copyOf(fieldErrors);
    }

    /** The Freedom error code, such as 100101; 0 when the server answered without the error envelope. */
    public int code() {
        return code;
    }

    /** The HTTP status of the answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** For validation errors (100004): messages per field, array items as {@code grants.3}; otherwise empty. */
    public Map<String, List<String>> fieldErrors() {
        return fieldErrors;
    }

    @Override
    public String toString() {
        return "FreedomIdException{code=" + code + ", httpStatus=" + httpStatus + ", message=" + getMessage()
                + (fieldErrors.isEmpty() ? "" : ", fieldErrors=" + fieldErrors) + "}";
    }
}
