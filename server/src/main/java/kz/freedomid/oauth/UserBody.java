package kz.freedomid.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.user.Patch;
import kz.freedomid.user.UserInput;

/**
 * The JSON body of Create user (3.8) and Update user (3.9), checked for JSON types only; the user service applies the
 * contract's rules. An omitted field is kept, {@code null} clears it. Fields the contract does not name are refused, so
 * that a misspelt field is not silently ignored (and card numbers have no way in).
 */
public record UserBody(UUID freedomId, UserInput input) {
    private static final Set<String> FIELDS = Set.of("phone", "email", "firstname", "lastname", "patronymic",
            "date_of_birth", "gender", "country", "nationality", "identifier", "phones", "emails");

    public static UserBody parse(ObjectNode body, boolean update) {
        FieldErrors errors = new FieldErrors();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (FIELDS.contains(name) || (update && name.equals("freedom_id"))) continue;
            // A field name is echoed only when it is a plain word: the name itself could be anything, a card number too.
            if (name.matches("[A-Za-z_]{1,40}")) {
                errors.add(name, "The " + name + " field is not accepted.");
            } else {
                errors.add("body", "The body has a field that is not accepted.");
            }
        }
        UUID freedomId = update ? freedomId(body.get("freedom_id"), errors) : null;
        UserInput input = new UserInput(text(body, "phone", errors), text(body, "email", errors),
                text(body, "firstname", errors), text(body, "lastname", errors), text(body, "patronymic", errors),
                text(body, "date_of_birth", errors), text(body, "gender", errors), text(body, "country", errors),
                text(body, "nationality", errors), text(body, "identifier", errors), texts(body, "phones", errors),
                texts(body, "emails", errors));
        errors.throwIfAny();
        return new UserBody(freedomId, input);
    }

    // freedom_id (REQUIRED on update)
    private static UUID freedomId(JsonNode node, FieldErrors errors) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            errors.add("freedom_id", "The freedom_id field is required.");
            return null;
        }
        UUID id = node.isTextual() ? PartnerService.parseUuid(node.asText()).orElse(null) : null;
        if (id == null) errors.add("freedom_id", "The freedom_id must be a valid UUID.");
        return id;
    }

    private static Patch<String> text(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null) return Patch.keep();
        if (node.isNull()) return Patch.clear();
        if (!node.isTextual()) {
            errors.add(field, "The " + field + " must be a string.");
            return Patch.keep();
        }
        return Patch.put(node.asText());
    }

    private static Patch<List<String>> texts(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null) return Patch.keep();
        if (node.isNull()) return Patch.clear();
        if (!node.isArray()) {
            errors.add(field, "The " + field + " must be an array.");
            return Patch.keep();
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isTextual()) {
                items.add(node.get(i).asText());
            } else {
                errors.add(field + "." + i, "The " + field + "." + i + " must be a string.");
            }
        }
        return Patch.put(List.copyOf(items));
    }
}
