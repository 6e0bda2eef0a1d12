package kz.freedomid.client;

/** The server could not be reached, timed out, or answered something that is not the documented JSON. */
public class FreedomIdTransportException extends RuntimeException {
    public FreedomIdTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
