package kz.freedomid.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Set;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.ErrorHandling;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.platform.RequestIds;

/**
 * {@code POST /api/v1/oidc/register} (RFC 7591 §3) with an initial access token, and
 * {@code GET|PUT|DELETE /api/v1/oidc/register/{client_id}} (RFC 7592 §2) with the registration access token.
 */
public final class RegistrationRoutes {
    public static final String PATH = "/api/v1/oidc/register";
    /** RFC 7592 §2.2: the server's own values, which an update request must not send. */
    private static final Set<String> SERVER_FIELDS = Set.of("registration_access_token", "registration_client_uri",
            "client_secret_expires_at", "client_id_issued_at");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RegistrationRoutes.class);

    private final RegistrationService registrations;
    private final MetadataParser parser;
    private final String issuer;

    public RegistrationRoutes(RegistrationService registrations, RegistrationPolicy policy, String issuer) {
        this.registrations = registrations;
        this.parser = new MetadataParser(policy);
        this.issuer = issuer;
    }

    public void register(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH + "/{client_id}", this::read);
        routes.put(PATH + "/{client_id}", this::update);
        routes.delete(PATH + "/{client_id}", this::delete);
        routes.exception(RegistrationException.class, (e, ctx) -> {
            LOG.info("{} {} -> {} ({}) [{}]", ctx.method(), ctx.path(), e.error(), e.logReason(), RequestIds.of(ctx));
            ErrorHandling.writeOAuth(ctx, e.error().equals(RegistrationException.INVALID_TOKEN)
                    ? OAuthException.invalidToken(e.description()) : OAuthException.of(400, e.error(), e.description()));
        });
    }

    private void create(Context ctx) {
        var initial = registrations.authorizeInitial(ApiRequest.bearer(ctx));
        ClientMetadata metadata = parser.parse(body(ctx));
        send(ctx, 201, registrations.register(initial, metadata, ctx.ip()));
    }

    private void read(Context ctx) {
        var registration = registrations.authorize(ctx.pathParam("client_id"), ApiRequest.bearer(ctx));
        send(ctx, 200, registrations.read(registration));
    }

    private void update(Context ctx) {
        var registration = registrations.authorize(ctx.pathParam("client_id"), ApiRequest.bearer(ctx));
        ObjectNode body = body(ctx);
        for (String field : SERVER_FIELDS) {
            if (body.has(field)) throw RegistrationException.metadata(field + " must not be sent in an update (RFC 7592 §2.2).");
        }
        String clientId = body.path("client_id").isTextual() ? body.get("client_id").asText() : null;
        String secret = body.path("client_secret").isTextual() ? body.get("client_secret").asText() : null;
        send(ctx, 200, registrations.update(registration, clientId, secret, parser.parse(body), ctx.ip()));
    }

    private void delete(Context ctx) {
        registrations.delete(registrations.authorize(ctx.pathParam("client_id"), ApiRequest.bearer(ctx)), ctx.ip());
        ctx.status(204).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    /** A JSON object of at most 64 KiB, sent as application/json (RFC 7591 §3.1). */
    private static ObjectNode body(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) throw RegistrationException.metadata("Send the metadata as application/json.");
        try {
            JsonNode node = Json.parse(ApiRequest.body(ctx));
            if (node instanceof ObjectNode object) return object;
        } catch (FreedomException e) {
            throw RegistrationException.metadata("The body is not JSON or is larger than 64 KiB.");
        }
        throw RegistrationException.metadata("The metadata must be a JSON object.");
    }

    private void send(Context ctx, int status, RegistrationService.Client client) {
        ctx.status(status).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .header("Pragma", "no-cache").result(Json.write(ClientView.of(client, issuer + PATH)));
    }
}
