package kz.freedomid.client;

/** A revoke callback whose {@code Freedom-Signature} is missing, malformed, or does not verify: answer it 401. */
public class InvalidCallbackException extends RuntimeException {
    public InvalidCallbackException(String message) {
        super(message);
    }

    public InvalidCallbackException(String message, Throwable cause) {
        super(message, cause);
    }
}
