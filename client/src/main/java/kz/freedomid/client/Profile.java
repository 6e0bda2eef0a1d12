package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A decrypted profile (contract 3.7): every user attribute, plus {@code verification} and {@code account}.
 * The typed accessors cover the common fields; {@link #json()} holds the whole document.
 */
public record Profile(JsonNode json) {
    public String freedomId() {
        return Json.text(json, "freedom_id");
    }

    public String firstname() {
        return Json.text(json, "firstname");
    }

    public String lastname() {
        return Json.text(json, "lastname");
    }

    public String phone() {
        return Json.text(json, "phone");
    }

    public String email() {
        return Json.text(json, "email");
    }

    public boolean phoneVerified() {
        return json.path("verification").path("phone_verified").asBoolean(false);
    }

    /** {@code none}, {@code basic} or {@code full}. */
    public String verificationLevel() {
        return Json.text(json.path("verification"), "level");
    }

    public Instant generatedAt() {
        return Json.instant(json, "generated_at");
    }
}
