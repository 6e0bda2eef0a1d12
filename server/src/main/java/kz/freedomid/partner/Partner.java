package kz.freedomid.partner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** An OAuth client of Freedom ID (contract section 1). The secret exists here only as its hash. */
public record Partner(
        UUID clientId,
        String name,
        String secretHash,
        List<String> redirectUris,
        Set<Grant> grants,
        String revokeUri,
        Duration accessTtl,
        Duration refreshTtl,
        boolean active,
        Instant createdAt,
        ClientSettings settings) {

    public boolean allowsRedirectUri(String uri) {
        // Exact string match, no normalisation (RFC 6749 §3.1.2.3; OAuth security BCP §4.1.3).
        return uri != null && redirectUris.contains(uri);
    }

    public boolean allowsPostLogoutRedirectUri(String uri) {
        return uri != null && settings.postLogoutRedirectUris().contains(uri);
    }
}
