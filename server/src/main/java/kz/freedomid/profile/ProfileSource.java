package kz.freedomid.profile;

import java.time.Duration;
import java.util.Map;
import kz.freedomid.user.User;

/**
 * Where profile attributes come from. The built-in source reads our own user data; an operator can add an external
 * source (a KYC provider, a card vault) whose attributes are merged over the built-in ones. A source that throws or does
 * not answer within {@link #timeout()} makes the request {@code failed}.
 */
public interface ProfileSource {
    /** Short name, shown in a failed request's status_message. */
    String name();

    /** Attributes to merge into the profile, keyed by their JSON names (contract section 1). */
    Map<String, Object> attributes(User user) throws Exception;

    default Duration timeout() {
        return Duration.ofSeconds(10);
    }
}
