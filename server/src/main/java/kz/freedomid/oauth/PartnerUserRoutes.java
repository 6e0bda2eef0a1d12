package kz.freedomid.oauth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.token.Access;
import kz.freedomid.token.ServiceAccess;
import kz.freedomid.token.TokenService;
import kz.freedomid.user.EditableUser;
import kz.freedomid.user.User;
import kz.freedomid.user.UserService;

/**
 * Create user (3.8) and Update user (3.9) on {@code /api/v1/oauth/user}, for a partner's service token with
 * {@code users:write}. {@code GET} on the same path (3.5) serves users' tokens: the token kind tells them apart.
 */
public final class PartnerUserRoutes {
    public static final String USERS_WRITE = "users:write";

    private final UserService users;
    private final TokenService tokens;

    public PartnerUserRoutes(UserService users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/oauth/user", this::create);
        routes.put("/api/v1/oauth/user", this::update);
    }

    private void create(Context ctx) {
        ServiceAccess partner = serviceToken(ctx);
        UserBody body = UserBody.parse(ApiRequest.jsonObject(ctx), false);
        User user = users.create(body.input(), partner.clientId());
        PartnerApiRoutes.json(ctx, 201, Map.of("freedom_id", user.id().toString()));
    }

    private void update(Context ctx) {
        ServiceAccess partner = serviceToken(ctx);
        UserBody body = UserBody.parse(ApiRequest.jsonObject(ctx), true);
        EditableUser updated = users.update(body.freedomId(), body.input(), partner.clientId());
        PartnerApiRoutes.json(ctx, 200, fields(updated));
    }

    /** A live service token of a partner holding users:write; a user's token, or one without it, is 403. */
    private ServiceAccess serviceToken(Context ctx) {
        Access access = tokens.findAccess(ApiRequest.bearer(ctx))
                .orElseThrow(() -> new FreedomException(FreedomError.INVALID_ACCESS_TOKEN, "access token not valid"));
        if (!(access instanceof ServiceAccess service)) {
            throw new FreedomException(FreedomError.FORBIDDEN, "a user's token cannot manage users");
        }
        if (!service.may(USERS_WRITE)) {
            throw new FreedomException(FreedomError.FORBIDDEN, "service token of " + service.clientId() + " lacks users:write");
        }
        return service;
    }

    /** 3.9: the user's current fields, the writable ones and the verification flags a change may have cleared. */
    private static Map<String, Object> fields(EditableUser e) {
        User u = e.user();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("freedom_id", u.id().toString());
        out.put("phone", u.phone());
        out.put("phone_verified", u.phoneVerified());
        out.put("phones", e.phones());
        out.put("email", u.email());
        out.put("email_verified", u.emailVerified());
        out.put("emails", e.emails());
        out.put("firstname", u.firstname());
        out.put("lastname", u.lastname());
        out.put("patronymic", u.patronymic());
        out.put("date_of_birth", u.dateOfBirth() == null ? null : u.dateOfBirth().toString());
        out.put("gender", u.gender());
        out.put("country", u.country());
        out.put("nationality", u.nationality());
        out.put("identifier", u.identifier());
        return out;
    }
}
