package kz.freedomid.oidc;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.dpop.DPoP;
import kz.freedomid.dpop.DPoPException;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.OAuthException;

/**
 * {@code POST /api/v1/oidc/par} (RFC 9126 §2): the client authenticates as at the token endpoint and pushes the
 * parameters of an authorization request, which are checked as {@code /openid} checks them; the answer is a
 * request_uri for {@code /openid}, single use, for 60 seconds.
 */
final class ParEndpoint {
    private final ClientAuthentication clients;
    private final PushedRequests pushed;
    private final DPoP dpop;
    private final String url;

    ParEndpoint(ClientAuthentication clients, PushedRequests pushed, DPoP dpop, String issuer) {
        this.clients = clients;
        this.pushed = pushed;
        this.dpop = dpop;
        this.url = issuer + "/api/v1/oidc/par";
    }

    void handle(Context ctx) {
        OAuthParams params = OAuthParams.body(ctx);
        Partner client = clients.authenticate(ctx, params);
        // RFC 9126 §2.1: request_uri MUST NOT be pushed.
        if (params.optional("request_uri") != null) throw OAuthException.invalidRequest("request_uri must not be pushed.");
        String redirectUri = params.required("redirect_uri");
        if (!client.allowsRedirectUri(redirectUri)) {
            throw OAuthException.invalidRequest("redirect_uri is not registered for this client.");
        }
        params = bindToProofKey(ctx, params);
        AuthorizationRequest.validate(params, client, redirectUri, params.optional("state"));
        PushedRequests.Pushed result = pushed.push(client, params);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_uri", result.requestUri());
        body.put("expires_in", result.expiresIn());
        ctx.status(201).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .result(Json.write(body));
    }

    /**
     * RFC 9449 §10.1: a DPoP proof sent with the pushed request binds the code to its key, as dpop_jkt does; both
     * present must name the same key.
     */
    private OAuthParams bindToProofKey(Context ctx, OAuthParams params) {
        DPoP.Proof proof;
        try {
            proof = dpop.verify(DPoP.proofs(ctx), "POST", url, null);
        } catch (DPoPException e) {
            ctx.header("DPoP-Nonce", e.nonce());
            throw OAuthException.of(400, e.error(), e.description());
        }
        if (proof == null) return params;
        String jkt = params.optional("dpop_jkt");
        if (jkt != null && !jkt.equals(proof.jkt())) {
            throw OAuthException.of(400, DPoPException.INVALID_PROOF, "dpop_jkt does not match the DPoP proof's key.");
        }
        ctx.header("DPoP-Nonce", dpop.nonce());
        return jkt != null ? params : params.with("dpop_jkt", proof.jkt());
    }
}
