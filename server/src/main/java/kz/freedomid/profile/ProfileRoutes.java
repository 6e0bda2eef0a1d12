package kz.freedomid.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;
import kz.freedomid.token.Access;
import kz.freedomid.token.AccessGrant;
import kz.freedomid.token.TokenService;

/** Contract 3.6 and 3.7. Each handler parses, calls the service once, renders. */
public final class ProfileRoutes {
    private final ProfileService profiles;
    private final TokenService tokens;

    public ProfileRoutes(ProfileService profiles, TokenService tokens) {
        this.profiles = profiles;
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/oauth/get-profile", this::request);
        routes.get("/api/v1/oauth/get-profile/status", this::status);
    }

    private void request(Context ctx) {
        AccessGrant grant = access(ctx);
        ObjectNode body = ApiRequest.jsonObject(ctx);
        FieldErrors errors = new FieldErrors();
        UUID requestId = requestId(body.get("request_id"), errors);
        Instant createdAt = createdAt(body.get("created_at"), errors);
        errors.throwIfAny();
        ProfileService.Answer answer = profiles.request(grant, requestId, createdAt);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_id", answer.requestId().toString());
        out.put("status", answer.status());
        out.put("status_message", answer.statusMessage());
        out.put("freedom_id", answer.freedomId().toString());
        json(ctx, out);
    }

    /** The request_id comes as {@code ?request_id=} or in a JSON body (contract 3.7 decision). */
    private void status(Context ctx) {
        AccessGrant grant = access(ctx);
        ObjectNode body = ApiRequest.jsonObject(ctx);
        String query = ctx.queryParam("request_id");
        JsonNode fromBody = body.get("request_id");
        FieldErrors errors = new FieldErrors();
        if (query != null && fromBody != null && !fromBody.isNull() && !query.equals(fromBody.asText())) {
            errors.add("request_id", "The request_id of the query and of the body differ.");
            errors.throwIfAny();
        }
        UUID requestId = requestId(query != null ? Json.MAPPER.getNodeFactory().textNode(query) : fromBody, errors);
        errors.throwIfAny();
        ProfileService.StatusView view = profiles.status(grant, requestId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_id", view.requestId().toString());
        out.put("status", view.status());
        out.put("status_message", view.statusMessage());
        out.put("freedom_id", view.freedomId().toString());
        if (view.payload() != null) out.put("profile", Map.of("payload", view.payload()));
        out.put("datetime", Json.timestamp(view.datetime()));
        json(ctx, out);
    }

    private AccessGrant access(Context ctx) {
        Access access = tokens.findAccess(ApiRequest.bearer(ctx))
                .orElseThrow(() -> new FreedomException(FreedomError.INVALID_ACCESS_TOKEN, "access token not valid"));
        if (!(access instanceof AccessGrant grant)) {
            throw new FreedomException(FreedomError.FORBIDDEN, "a service token has no user to request a profile of");
        }
        return grant;
    }

    private static UUID requestId(JsonNode node, FieldErrors errors) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            errors.add("request_id", "The request_id field is required.");
            return null;
        }
        UUID id = node.isTextual() ? PartnerService.parseUuid(node.asText()).orElse(null) : null;
        if (id == null) errors.add("request_id", "The request_id must be a valid UUID.");
        return id;
    }

    private static Instant createdAt(JsonNode node, FieldErrors errors) {
        if (node == null || node.isNull()) return null;
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.asText()).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(node.asText()).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException ignored) {
                    // falls through to the error below
                }
            }
        }
        errors.add("created_at", "The created_at must be an ISO-8601 date-time.");
        return null;
    }

    private static void json(Context ctx, Object body) {
        ctx.status(200).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .result(Json.write(body));
    }
}
