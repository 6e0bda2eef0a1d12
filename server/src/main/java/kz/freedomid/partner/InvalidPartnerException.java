package kz.freedomid.partner;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Partner settings that break a rule, per field ({@code redirect_uris.1}, {@code grants}): the admin API answers them
 * as a 422 field map, the command line prints the messages.
 */
public final class InvalidPartnerException extends IllegalArgumentException {
    private final Map<String, List<String>> fieldErrors;

    public InvalidPartnerException(Map<String, List<String>> fieldErrors) {
        super(fieldErrors.values().stream().flatMap(List::stream).collect(Collectors.joining(" ")));
        this.fieldErrors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fieldErrors));
    }

    public Map<String, List<String>> fieldErrors() {
        return fieldErrors;
    }
}
