package kz.freedomid.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.registration.InitialAccessTokens;

/**
 * {@code /admin/api/v1/registration-tokens}: issue, list and revoke initial access tokens for dynamic client
 * registration, as {@code registration-token create | list | revoke} does. Guarded by the admin token like every path
 * under {@link AdminApi#PREFIX}.
 */
public final class AdminRegistrationTokenRoutes {
    private static final String PATH = AdminApi.PREFIX + "/registration-tokens";

    private final InitialAccessTokens tokens;

    public AdminRegistrationTokenRoutes(InitialAccessTokens tokens) {
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH, this::list);
        routes.post(PATH + "/{id}/revoke", this::revoke);
    }

    /** 201 with the token: the only time it is shown. */
    private void create(Context ctx) {
        ObjectNode body = ApiRequest.jsonObject(ctx);
        FieldErrors errors = new FieldErrors();
        AdminJson.rejectUnknown(body, Set.of("expires_in_seconds", "max_uses", "note"), errors);
        Long seconds = AdminJson.seconds(body, "expires_in_seconds", errors);
        Long uses = AdminJson.seconds(body, "max_uses", errors);
        String note = AdminJson.string(body, "note", errors);
        if (seconds != null && (seconds < 1 || seconds > InitialAccessTokens.MAX_LIFETIME.toSeconds())) {
            errors.add("expires_in_seconds", "The lifetime must be between 1 second and 365 days.");
        }
        if (uses != null && (uses < 1 || uses > 1_000_000)) errors.add("max_uses", "The max_uses must be between 1 and 1000000.");
        if (note != null && note.length() > 200) errors.add("note", "The note may have 200 characters at most.");
        errors.throwIfAny();
        var issued = tokens.create(seconds == null ? null : Duration.ofSeconds(seconds), uses == null ? null : uses.intValue(),
                note, ctx.ip());
        Map<String, Object> out = new LinkedHashMap<>(RegistrationTokenCommands.view(issued.info(), tokens.now()));
        out.put("token", issued.token());
        AdminJson.send(ctx, 201, out);
    }

    private void list(Context ctx) {
        var now = tokens.now();
        AdminJson.send(ctx, 200, Map.of("registration_tokens",
                tokens.list().stream().map(t -> RegistrationTokenCommands.view(t, now)).toList()));
    }

    private void revoke(Context ctx) {
        UUID id = PartnerService.parseUuid(ctx.pathParam("id"))
                .orElseThrow(() -> new FreedomException(FreedomError.NOT_FOUND, "no such registration token"));
        if (!tokens.revoke(id, ctx.ip())) throw new FreedomException(FreedomError.NOT_FOUND, "no active registration token " + id);
        AdminJson.send(ctx, 200, Map.of("id", id.toString(), "status", "revoked"));
    }
}
