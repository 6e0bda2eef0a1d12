package kz.freedomid.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Token counters, registered once so the hot paths only increment: {@code freedom_id_tokens_issued_total{grant}},
 * {@code freedom_id_tokens_refreshed_total}, {@code freedom_id_tokens_revoked_total{kind}} (pairs revoked).
 */
final class TokenMeters {
    final Counter issuedByCode;
    final Counter issuedForService;
    final Counter refreshed;
    /** A client revoked one of its tokens (RFC 7009). */
    final Counter revokedByClient;
    /** Logout, expiry or a blocked user ended the browser session the pairs were granted in. */
    final Counter revokedWithSession;
    /** The user withdrew a partner's access, or an administrator removed it. */
    final Counter revokedAtPartner;
    /** A reused code or refresh token revoked its whole grant (RFC 9700 §4.14.2). */
    final Counter revokedOnReuse;

    TokenMeters(MeterRegistry registry) {
        issuedByCode = issued(registry, "authorization_code");
        issuedForService = issued(registry, "client_credentials");
        refreshed = Counter.builder("freedom_id_tokens_refreshed").description("Refresh tokens rotated into new pairs")
                .register(registry);
        revokedByClient = revoked(registry, "client");
        revokedWithSession = revoked(registry, "session");
        revokedAtPartner = revoked(registry, "partner_access");
        revokedOnReuse = revoked(registry, "reuse");
    }

    private static Counter issued(MeterRegistry registry, String grant) {
        return Counter.builder("freedom_id_tokens_issued").description("Token pairs issued, by grant").tag("grant", grant)
                .register(registry);
    }

    private static Counter revoked(MeterRegistry registry, String kind) {
        return Counter.builder("freedom_id_tokens_revoked").description("Token pairs revoked, by what revoked them")
                .tag("kind", kind).register(registry);
    }
}
