package kz.freedomid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;

/** Reading and writing the admin API's JSON, with the contract's errors (section 2). */
final class AdminJson {
    private AdminJson() {}

    static void send(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .result(Json.write(body));
    }

    /** The {client_id} path parameter; anything that is not a UUID names no partner (404, 100006). */
    static UUID clientId(Context ctx) {
        return PartnerService.parseUuid(ctx.pathParam("client_id"))
                .orElseThrow(() -> new FreedomException(FreedomError.NOT_FOUND, "no such partner"));
    }

    static FreedomException notFound(UUID clientId) {
        return new FreedomException(FreedomError.NOT_FOUND, "no partner " + clientId);
    }

    /** Fields the endpoint does not know are errors, so that a misspelt setting is never silently ignored. */
    static void rejectUnknown(ObjectNode body, Set<String> known, FieldErrors errors) {
        body.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) errors.add(name, "The " + name + " field is unknown.");
        });
    }

    /** A string, or null when absent or null; a value of another type is a field error. */
    static String string(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) {
            errors.add(field, "The " + field + " must be a string.");
            return null;
        }
        return node.asText();
    }

    /** An array of strings ({@code field.3} names a bad item), or null when absent. */
    static List<String> strings(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null) return null;
        if (!node.isArray()) {
            errors.add(field, "The " + field + " must be an array of strings.");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isTextual()) {
                out.add(node.get(i).asText());
            } else {
                errors.add(field + "." + i, "The " + field + "." + i + " must be a string.");
            }
        }
        return out;
    }

    static Boolean bool(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null) return null;
        if (!node.isBoolean()) {
            errors.add(field, "The " + field + " must be true or false.");
            return null;
        }
        return node.asBoolean();
    }

    /** A whole number of seconds; null when absent or null. */
    static Long seconds(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            errors.add(field, "The " + field + " must be a whole number of seconds.");
            return null;
        }
        return node.asLong();
    }

    static void requireNotNull(ObjectNode body, String field, FieldErrors errors) {
        if (body.has(field) && body.get(field).isNull()) errors.add(field, "The " + field + " cannot be null.");
    }
}
