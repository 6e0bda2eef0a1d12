package kz.freedomid.client;

import java.time.Instant;

/** A service token (client_credentials, contract 4.3) carrying the partner's permissions such as {@code users:write}. */
public record ServiceToken(String accessToken, Instant expiresAt, String scope) {
    @Override
    public String toString() {
        return "ServiceToken{expiresAt=" + expiresAt + ", scope=" + scope + "}";
    }
}
