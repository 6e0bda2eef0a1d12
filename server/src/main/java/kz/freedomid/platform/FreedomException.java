package kz.freedomid.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partner-API failure. The public text is fixed per code; {@code detail} is for the log only.
 */
public final class FreedomException extends RuntimeException {
    private final FreedomError error;
    private final Map<String, List<String>> fieldErrors;
    private final int statusOverride;

    public FreedomException(FreedomError error, String detail) {
        this(error, detail, Map.of(), 0);
    }

    private FreedomException(FreedomError error, String detail, Map<String, List<String>> fieldErrors, int statusOverride) {
        super(detail, null, false, false);
        this.error = error;
        this.fieldErrors = fieldErrors;
        this.statusOverride = statusOverride;
    }

    public static FreedomException validation(Map<String, List<String>> fieldErrors) {
        return new FreedomException(FreedomError.VALIDATION, "validation failed: " + fieldErrors.keySet(),
                new LinkedHashMap<>(fieldErrors), 0);
    }

    public static FreedomException validation(String field, String message) {
        return validation(Map.of(field, List.of(message)));
    }

    /** 100008 with 415, for a body of the wrong content type (contract section 2). */
    public static FreedomException unsupportedMediaType(String detail) {
        return new FreedomException(FreedomError.MALFORMED_BODY, detail, Map.of(), 415);
    }

    public FreedomError error() {
        return error;
    }

    public int httpStatus() {
        return statusOverride != 0 ? statusOverride : error.httpStatus();
    }

    public Map<String, List<String>> fieldErrors() {
        return fieldErrors;
    }
}
