package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.List;

/** A user's current fields as Update user (contract 3.9) answers them; {@link #json()} holds the whole answer. */
public record ManagedUser(String freedomId, String phone, boolean phoneVerified, List<String> phones, String email,
                          boolean emailVerified, List<String> emails, String firstname, String lastname,
                          String patronymic, LocalDate dateOfBirth, String gender, String country, String nationality,
                          String identifier, JsonNode json) {
    static ManagedUser from(JsonNode json) {
        return new ManagedUser(Json.text(json, "freedom_id"), Json.text(json, "phone"),
                json.path("phone_verified").asBoolean(false), Json.strings(json, "phones"), Json.text(json, "email"),
                json.path("email_verified").asBoolean(false), Json.strings(json, "emails"), Json.text(json, "firstname"),
                Json.text(json, "lastname"), Json.text(json, "patronymic"), Json.date(json, "date_of_birth"),
                Json.text(json, "gender"), Json.text(json, "country"), Json.text(json, "nationality"),
                Json.text(json, "identifier"), json);
    }
}
