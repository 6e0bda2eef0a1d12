package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A token pair of contract 3.3 / 3.4.
 *
 * @param id the pair's id (the one a revoke callback names)
 * @param idToken present only when {@code openid} was granted, otherwise null
 */
public record TokenPair(String id, String accessToken, String refreshToken, Instant accessExpiresAt,
                        Instant refreshExpiresAt, String idToken) {

    static TokenPair from(JsonNode json) {
        return new TokenPair(Json.text(json, "id"), Json.text(json, "access_token"), Json.text(json, "refresh_token"),
                Json.instant(json, "access_expire_at"), Json.instant(json, "refresh_expire_at"),
                Json.text(json, "id_token"));
    }

    /** Hides the tokens, so that logging a pair never leaks them. */
    @Override
    public String toString() {
        return "TokenPair{id=" + id + ", accessExpiresAt=" + accessExpiresAt + ", refreshExpiresAt=" + refreshExpiresAt + "}";
    }
}
