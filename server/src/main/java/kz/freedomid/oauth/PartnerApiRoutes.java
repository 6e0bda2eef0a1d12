package kz.freedomid.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.freedomid.dpop.DPoP;
import kz.freedomid.dpop.DPoPException;
import kz.freedomid.login.LoginFlow;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.ErrorHandling;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Json;
import kz.freedomid.token.Access;
import kz.freedomid.token.AccessGrant;
import kz.freedomid.token.IssuedTokens;
import kz.freedomid.token.TokenOutcome;
import kz.freedomid.token.TokenService;

/** The Freedom ID partner API (contract section 3.1–3.5). Each handler parses, calls one service, renders. */
public final class PartnerApiRoutes {
    private final PartnerService partners;
    private final LoginFlow loginFlow;
    private final TokenService tokens;
    private final TokenResponses responses;
    private final String issuer;
    private final DPoP dpop;

    public PartnerApiRoutes(PartnerService partners, LoginFlow loginFlow, TokenService tokens, TokenResponses responses,
                            String issuer, DPoP dpop) {
        this.dpop = dpop;
        this.partners = partners;
        this.loginFlow = loginFlow;
        this.tokens = tokens;
        this.responses = responses;
        this.issuer = issuer;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/oauth/authorize", this::authorize);
        routes.post("/api/v1/oauth/token", this::exchange);
        routes.patch("/api/v1/oauth/token", this::refresh);
        routes.get("/api/v1/oauth/user", this::userInfo);
        routes.get("/api/v1/errors", this::errors);
    }

    /** 3.1: a single-use login link for the partner's user. */
    private void authorize(Context ctx) {
        Partner partner = authenticate(ctx);
        AuthorizeRequest request = AuthorizeRequest.parse(ApiRequest.jsonObject(ctx), partner);
        LoginFlow.Link link = loginFlow.createLink(partner, request.redirectUri(), request.grants(), request.state());
        json(ctx, 200, Map.of("redirect_uri",
                issuer + "/login?track_id=" + link.trackId() + "&expire_at=" + link.expiresAt().getEpochSecond()));
    }

    /** 3.3: authorization code → token pair. */
    private void exchange(Context ctx) {
        Partner partner = authenticate(ctx);
        ObjectNode body = ApiRequest.jsonObject(ctx);
        FieldErrors errors = new FieldErrors();
        String code = requiredString(body, "authorization_code", errors);
        String revokeUri = optionalString(body, "revoke_uri", errors);
        if (revokeUri != null && !CallbackUrls.isAllowed(revokeUri)) {
            errors.add("revoke_uri", "The revoke_uri must be a valid https URL.");
        }
        errors.throwIfAny();
        TokenOutcome outcome = tokens.exchangeCode(partner, new TokenService.Exchange(code, null, null, revokeUri), ctx.ip());
        if (outcome instanceof TokenOutcome.Rejected rejected) {
            throw new FreedomException(FreedomError.INVALID_AUTHORIZATION_CODE, "code rejected: " + rejected.reason());
        }
        json(ctx, 200, responses.pair(((TokenOutcome.Issued) outcome).tokens(), partner.settings().idTokenAlg()));
    }

    /** 3.4: refresh token (as Bearer) → new pair; the old pair dies at once. */
    private void refresh(Context ctx) {
        ApiRequest.requireNoBody(ctx);
        String refreshToken = ApiRequest.bearer(ctx);
        if (refreshToken == null) {
            throw new FreedomException(FreedomError.INVALID_REFRESH_TOKEN, "missing Bearer refresh token");
        }
        TokenOutcome outcome = tokens.refresh(null, refreshToken, ctx.ip());
        if (outcome instanceof TokenOutcome.Rejected rejected) {
            throw new FreedomException(rejected.reason() == TokenOutcome.Reason.REUSED
                    ? FreedomError.REFRESH_TOKEN_REUSED : FreedomError.INVALID_REFRESH_TOKEN,
                    "refresh rejected: " + rejected.reason());
        }
        IssuedTokens issued = ((TokenOutcome.Issued) outcome).tokens();
        String alg = !issued.pair().grants().contains(kz.freedomid.partner.Grant.OPENID) ? "RS256"
                : partners.find(issued.pair().clientId()).map(p -> p.settings().idTokenAlg()).orElse("RS256");
        json(ctx, 200, responses.pair(issued, alg));
    }

    /**
     * 3.5: the user's current data, only the consented fields. The token comes as Bearer or, bound to a key, as DPoP with
     * a proof (RFC 9449 §7.1); DPoP failures keep the contract's 100002 body with a DPoP challenge.
     */
    private void userInfo(Context ctx) {
        ApiRequest.requireNoBody(ctx);
        DPoP.Presented presented;
        try {
            presented = dpop.presented(ctx, issuer + "/api/v1/oauth/user");
        } catch (DPoPException e) {
            dpopRefused(ctx, e.challenge(), e.nonce());
            return;
        }
        Access access = tokens.findAccess(presented.token(), presented.jkt()).orElse(null);
        if (access == null && presented.dpop()) {
            dpopRefused(ctx, DPoP.challenge("invalid_token", "The access token is invalid or expired."), null);
            return;
        }
        if (access == null) throw new FreedomException(FreedomError.INVALID_ACCESS_TOKEN, "access token not valid");
        if (presented.dpop()) ctx.header("DPoP-Nonce", dpop.nonce());
        if (!(access instanceof AccessGrant grant)) {
            throw new FreedomException(FreedomError.FORBIDDEN, "a service token cannot read user info");
        }
        json(ctx, 200, UserInfo.of(grant.user(), grant.extras(), grant.grants()));
    }

    private static void dpopRefused(Context ctx, String challenge, String nonce) {
        ErrorHandling.writeEnvelope(ctx, 401, FreedomError.INVALID_ACCESS_TOKEN, Map.of());
        ctx.header("WWW-Authenticate", challenge); // in place of the envelope's Bearer challenge
        if (nonce != null) ctx.header("DPoP-Nonce", nonce);
    }

    private void errors(Context ctx) {
        List<Map<String, Object>> table = Arrays.stream(FreedomError.values()).map(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", e.code());
            row.put("http_status", e.httpStatus() == 0 ? null : e.httpStatus());
            row.put("message", e.message());
            return row;
        }).toList();
        json(ctx, 200, Map.of("errors", table));
    }

    private Partner authenticate(Context ctx) {
        ApiRequest.ClientCredentials credentials = ApiRequest.basic(ctx);
        return partners.authenticate(credentials.clientId(), credentials.secret());
    }

    private static String requiredString(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            errors.add(field, "The " + field + " field is required.");
            return null;
        }
        if (!node.isTextual()) {
            errors.add(field, "The " + field + " must be a string.");
            return null;
        }
        return node.asText();
    }

    private static String optionalString(ObjectNode body, String field, FieldErrors errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) {
            errors.add(field, "The " + field + " must be a string.");
            return null;
        }
        return node.asText().isEmpty() ? null : node.asText();
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .result(Json.write(body));
    }
}
