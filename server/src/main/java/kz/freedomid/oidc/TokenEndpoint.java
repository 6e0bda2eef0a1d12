package kz.freedomid.oidc;

import io.javalin.http.Context;
import java.util.Map;
import kz.freedomid.dpop.DPoP;
import kz.freedomid.dpop.DPoPException;
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
    private final DPoP dpop;
    private final String url;

    TokenEndpoint(ClientAuthentication clients, TokenService tokens, IdTokens idTokens, DPoP dpop, String issuer,
                  DeviceFlow devices) {
        this.clients = clients;
        this.dpop = dpop;
        this.url = issuer + "/api/v1/oidc/token";
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
        DPoP.Proof proof = proof(ctx);
        Map<String, Object> body = grant.grant(client, params, ctx.ip(), proof == null ? null : proof.jkt());
        if (proof != null) ctx.header("DPoP-Nonce", dpop.nonce());
        ctx.contentType("application/json; charset=utf-8").header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .result(Json.write(body));
    }

    /** RFC 9449 §5: the request's DPoP proof, null without one; a bad one is invalid_dpop_proof or use_dpop_nonce (400). */
    private DPoP.Proof proof(Context ctx) {
        try {
            return dpop.verify(DPoP.proofs(ctx), "POST", url, null);
        } catch (DPoPException e) {
            ctx.header("DPoP-Nonce", e.nonce());
            throw OAuthException.of(400, e.error(), e.description());
        }
    }
}
