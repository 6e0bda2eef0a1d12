package kz.freedomid.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.keys.SigningKeys;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.Json;

/** {@code /admin/api/v1/keys}: the signing keys (never key material) and their rotation. */
final class AdminKeyRoutes {
    private static final String PATH = AdminApi.PREFIX + "/keys";
    private static final Duration DEFAULT_LEAD = Duration.ofMinutes(10);

    private final KeyAdmin keys;

    AdminKeyRoutes(KeyAdmin keys) {
        this.keys = keys;
    }

    void register(RoutesConfig routes) {
        routes.get(PATH, this::list);
        routes.post(PATH + "/rotate", this::rotate);
    }

    private void list(Context ctx) {
        AdminJson.send(ctx, 200, Map.of("keys", views(keys.list())));
    }

    /** Body {@code {"lead":"PT10M"}} (optional): how long the new keys are published before they sign. */
    private void rotate(Context ctx) {
        Duration lead = lead(ApiRequest.jsonObject(ctx));
        AdminJson.send(ctx, 201, Map.of("keys", views(keys.rotate(lead, ctx.ip()))));
    }

    private static Duration lead(ObjectNode body) {
        FieldErrors errors = new FieldErrors();
        AdminJson.rejectUnknown(body, Set.of("lead"), errors);
        String raw = AdminJson.string(body, "lead", errors);
        Duration lead = DEFAULT_LEAD;
        if (raw != null) {
            try {
                lead = Duration.parse(raw);
                if (lead.isNegative() || lead.compareTo(KeyAdmin.MAX_LEAD) > 0) {
                    errors.add("lead", "The lead must be between PT0S and " + KeyAdmin.MAX_LEAD + ".");
                }
            } catch (DateTimeParseException e) {
                errors.add("lead", "The lead must be an ISO-8601 duration such as PT10M.");
            }
        }
        errors.throwIfAny();
        return lead;
    }

    static List<Map<String, Object>> views(List<SigningKeys.KeyInfo> keys) {
        return keys.stream().map(k -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("kid", k.kid());
            out.put("alg", k.alg());
            out.put("state", k.state());
            out.put("created_at", Json.timestamp(k.createdAt()));
            out.put("activates_at", Json.timestamp(k.activatesAt()));
            out.put("retires_at", Json.timestamp(k.retiresAt()));
            return out;
        }).toList();
    }
}
