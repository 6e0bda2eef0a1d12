package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The user info of contract 3.5. A field is null either because its grant was not consented or because the user has
 * no value; {@link #isReleased(String)} tells the two apart.
 *
 * @param id the user's freedom_id
 * @param releasedFields the JSON field names the answer carried (the consented grants)
 */
public record FreedomUser(String id, String firstname, String lastname, String patronymic, LocalDate dateOfBirth,
                          String gender, String country, String nationality, String identifier, String phone,
                          List<String> phones, String email, List<String> emails, List<Card> cards,
                          Set<String> releasedFields) {

    /** True when the answer carried {@code field} (such as {@code "email"}), even as null. */
    public boolean isReleased(String field) {
        return releasedFields.contains(field);
    }

    static FreedomUser from(JsonNode json) {
        Set<String> released = new LinkedHashSet<>();
        json.fieldNames().forEachRemaining(released::add);
        List<Card> cards = null;
        JsonNode cardNodes = json.get("cards");
        if (cardNodes != null && cardNodes.isArray()) {
            List<Card> list = new ArrayList<>();
            cardNodes.forEach(node -> list.add(Card.from(node)));
            cards = List.copyOf(list);
        }
        return new FreedomUser(Json.text(json, "id"), Json.text(json, "firstname"), Json.text(json, "lastname"),
                Json.text(json, "patronymic"), Json.date(json, "date_of_birth"), Json.text(json, "gender"),
                Json.text(json, "country"), Json.text(json, "nationality"), Json.text(json, "identifier"),
                Json.text(json, "phone"), Json.strings(json, "phones"), Json.text(json, "email"),
                Json.strings(json, "emails"), cards, Set.copyOf(released));
    }
}
