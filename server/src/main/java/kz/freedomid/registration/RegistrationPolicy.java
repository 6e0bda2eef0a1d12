package kz.freedomid.registration;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.Config;

/**
 * What a dynamically registered client may ask for: the OAuth grant types ({@code FREEDOM_ID_REGISTRATION_GRANT_TYPES},
 * default {@code authorization_code refresh_token}) and the Freedom ID grants as scopes
 * ({@code FREEDOM_ID_REGISTRATION_SCOPES}, default every grant but read.identifier, read.cards and read.profile, which
 * an operator gives by hand). Such a client never gets partner permissions (users:write). {@code dev}: development
 * mode, where http redirect, back-channel and jwks URIs to a loopback host are accepted for web clients.
 */
public record RegistrationPolicy(Set<String> grantTypes, Set<Grant> scopes, boolean dev) {
    public static final Set<String> SUPPORTED_GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials");
    static final Set<Grant> DEFAULT_SCOPES;

    static {
        EnumSet<Grant> scopes = EnumSet.allOf(Grant.class);
        scopes.removeAll(Set.of(Grant.READ_IDENTIFIER, Grant.READ_CARDS, Grant.READ_PROFILE));
        DEFAULT_SCOPES = Set.copyOf(scopes);
    }

    public RegistrationPolicy {
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
    }

    public static RegistrationPolicy from(Map<String, String> env, boolean dev) {
        Set<String> grantTypes = new LinkedHashSet<>();
        for (String name : list(env, "FREEDOM_ID_REGISTRATION_GRANT_TYPES", "authorization_code refresh_token")) {
            if (!SUPPORTED_GRANT_TYPES.contains(name)) {
                throw new Config.BadSettingException("FREEDOM_ID_REGISTRATION_GRANT_TYPES",
                        "unknown grant type '" + name + "'; known: " + SUPPORTED_GRANT_TYPES);
            }
            grantTypes.add(name);
        }
        Set<Grant> scopes = EnumSet.noneOf(Grant.class);
        String fallback = String.join(" ", DEFAULT_SCOPES.stream().map(Grant::wireName).sorted().toList());
        for (String name : list(env, "FREEDOM_ID_REGISTRATION_SCOPES", fallback)) {
            scopes.add(Grant.parse(name).orElseThrow(() -> new Config.BadSettingException("FREEDOM_ID_REGISTRATION_SCOPES",
                    "unknown grant '" + name + "'")));
        }
        return new RegistrationPolicy(grantTypes, scopes, dev);
    }

    private static Set<String> list(Map<String, String> env, String name, String fallback) {
        String raw = env.get(name);
        String text = raw == null || raw.isBlank() ? fallback : raw;
        return new LinkedHashSet<>(Arrays.stream(text.toLowerCase(Locale.ROOT).split("[\\s,]+")).filter(s -> !s.isEmpty()).toList());
    }
}
