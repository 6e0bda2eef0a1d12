package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to Request profile (contract 3.6).
 *
 * @param status {@code accepted}, {@code rejected}, or for a repeated request_id its current status
 *               ({@code pending}, {@code completed}, {@code failed})
 */
public record ProfileRequestResult(String requestId, String status, String statusMessage, String freedomId) {
    static ProfileRequestResult from(JsonNode json) {
        return new ProfileRequestResult(Json.text(json, "request_id"), Json.text(json, "status"),
                Json.text(json, "status_message"), Json.text(json, "freedom_id"));
    }

    public boolean isRejected() {
        return "rejected".equals(status);
    }
}
