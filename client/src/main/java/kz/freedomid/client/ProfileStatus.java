package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The answer to Get profile status (contract 3.7).
 *
 * @param status {@code pending}, {@code completed}, {@code failed} or {@code not_found}
 * @param encryptedProfile the compact JWE of the profile when {@code completed}, otherwise null;
 *                         decrypt it with {@link ProfileDecryptor}
 */
public record ProfileStatus(String requestId, String status, String statusMessage, String freedomId,
                            String encryptedProfile, Instant datetime) {
    static ProfileStatus from(JsonNode json) {
        JsonNode profile = json.get("profile");
        String payload = profile == null || profile.isNull() ? null : Json.text(profile, "payload");
        return new ProfileStatus(Json.text(json, "request_id"), Json.text(json, "status"),
                Json.text(json, "status_message"), Json.text(json, "freedom_id"), payload, Json.instant(json, "datetime"));
    }

    public boolean isPending() {
        return "pending".equals(status);
    }

    public boolean isCompleted() {
        return "completed".equals(status);
    }
}
