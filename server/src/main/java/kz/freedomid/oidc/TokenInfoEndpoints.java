package kz.freedomid.oidc;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import kz.freedomid.dpop.DPoP;
import kz.freedomid.dpop.DPoPException;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.token.AccessGrant;
import kz.freedomid.token.TokenPair;
import kz.freedomid.token.TokenService;
import kz.freedomid.token.TokenStore;

/** Userinfo (contract 4.4), revocation (RFC 7009) and introspection (RFC 7662). */
final class TokenInfoEndpoints {
    private final TokenService tokens;
    private final ClientAuthentication clients;
    private final String issuer;
    private final DPoP dpop;
    private final String userinfoUrl;

    TokenInfoEndpoints(TokenService tokens, ClientAuthentication clients, String issuer, DPoP dpop) {
        this.tokens = tokens;
        this.clients = clients;
        this.issuer = issuer;
        this.dpop = dpop;
        this.userinfoUrl = issuer + "/api/v1/oidc/userinfo";
    }

    /**
     * GET or POST; the token in the Authorization header (Bearer, or DPoP with a proof: RFC 9449 §7.1), or as access_token
     * in a form body (RFC 6750 §2.2). A DPoP-bound token sent as a bearer token is not found (§7.2).
     */
    void userinfo(Context ctx) {
        DPoP.Presented presented = presented(ctx);
        String token = presented.token();
        if (token == null && !presented.dpop() && "POST".equals(ctx.method().name())) {
            token = OAuthParams.body(ctx).optional("access_token");
        }
        if (token == null) throw invalidToken(presented, "An access token is required.");
        // A service token has no user: to userinfo it is no valid access token at all.
        AccessGrant grant = tokens.findAccess(token, presented.jkt()).filter(AccessGrant.class::isInstance)
                .map(AccessGrant.class::cast)
                .orElseThrow(() -> invalidToken(presented, "The access token is invalid or expired."));
        if (presented.dpop()) ctx.header("DPoP-Nonce", dpop.nonce());
        if (!grant.grants().contains(Grant.OPENID)) throw OAuthException.insufficientScope("The token lacks the openid scope.");
        json(ctx, OidcClaims.of(grant.user(), grant.extras(), grant.grants()));
    }

    private DPoP.Presented presented(Context ctx) {
        try {
            return dpop.presented(ctx, userinfoUrl);
        } catch (DPoPException e) {
            ctx.header("DPoP-Nonce", e.nonce());
            throw OAuthException.withChallenge(401, e.error(), e.description(), e.challenge());
        }
    }

    private static OAuthException invalidToken(DPoP.Presented presented, String description) {
        return presented.dpop() ? OAuthException.withChallenge(401, "invalid_token", description,
                DPoP.challenge("invalid_token", description)) : OAuthException.invalidToken(description);
    }

    /** RFC 7009 §2.2: 200 whether or not the token was known; another client's token is left alone. */
    void revoke(Context ctx) {
        OAuthParams params = OAuthParams.body(ctx);
        Partner client = clients.authenticate(ctx, params);
        tokens.revoke(client, params.required("token"), ctx.ip());
        ctx.status(200).header("Cache-Control", "no-store").result("");
    }

    /** RFC 7662: active only for a live token of the calling client, which must authenticate (not a bare client_id). */
    void introspect(Context ctx) {
        OAuthParams params = OAuthParams.body(ctx);
        Partner client = clients.authenticate(ctx, params);
        if (client.settings().publicClient()) throw OAuthException.invalidClient(false); // see Discovery: no "none" here
        var found = tokens.find(client, params.required("token"));
        var now = tokens.now();
        if (found.isEmpty() || !found.get().live() || !expiry(found.get()).isAfter(now)) {
            json(ctx, Map.of("active", false));
            return;
        }
        TokenPair pair = found.get().pair();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("scope", pair.isServiceToken() ? String.join(" ", new java.util.TreeSet<>(pair.permissions()))
                : pair.grants().stream().map(Grant::wireName).collect(Collectors.joining(" ")));
        out.put("client_id", pair.clientId().toString());
        out.put("sub", pair.isServiceToken() ? pair.clientId().toString() : pair.userId().toString());
        out.put("token_type", found.get().refresh() ? "refresh_token" : pair.dpopJkt() != null ? "DPoP" : "Bearer");
        if (pair.dpopJkt() != null) out.put("cnf", Map.of("jkt", pair.dpopJkt())); // RFC 9449 §6.2
        out.put("exp", expiry(found.get()).getEpochSecond());
        out.put("iat", pair.createdAt().getEpochSecond());
        out.put("iss", issuer);
        out.put("aud", pair.clientId().toString());
        if (pair.sessionId() != null) out.put("sid", pair.sessionId().toString());
        json(ctx, out);
    }

    private static java.time.Instant expiry(TokenStore.Found found) {
        return found.refresh() ? found.pair().refreshExpiresAt() : found.pair().accessExpiresAt();
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json; charset=utf-8").header("Cache-Control", "no-store").result(Json.write(body));
    }
}
