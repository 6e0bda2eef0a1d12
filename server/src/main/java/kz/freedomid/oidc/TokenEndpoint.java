package kz.freedomid.oidc;

import io.javalin.http.Context;
import java.util.Map;
import kz.freedomid.device.DeviceFlow;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.token.TokenService;
import kz.freedomid.keys.IdTokens;

/** {@code POST /api/v1/oidc/token} (contract 4.3): form or JSON body, client_secret_basic or _post, three grants. */
final class TokenEndpoint {
    private final ClientAuthentication clients;
    private final Map<String, TokenGrant> grants;

    TokenEndpoint(ClientAuthentication clients, TokenService tokens, IdTokens idTokens, DeviceFlow devices) {
        this.clients = clients;
        TokenResponseBuilder responses = new TokenResponseBuilder(idTokens);
        this.grants = Map.of(
                "authorization_code", new AuthorizationCodeGrant(tokens, responses),
                "refresh_token", new RefreshTokenGrant(tokens, responses),
                "client_credentials", new ClientCredentialsGrant(tokens, responses),
                DeviceFlow.GRANT_TYPE, new DeviceCodeGrant(devices, tokens, responses));
    }

    void handle(Context ctx) {
        OAuthParams params = OAuthParams.body(ctx);
        String grantType = params.required("grant_type");
        Partner client = clients.authenticate(ctx, params);
        TokenGrant grant = grants.get(grantType);
        if (grant == null) throw OAuthException.unsupportedGrantType(grantType);
        Map<String, Object> body = grant.grant(client, params, ctx.ip());
        ctx.contentType("application/json; charset=utf-8").header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .result(Json.write(body));
    }
}
