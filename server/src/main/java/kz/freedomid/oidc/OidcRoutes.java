package kz.freedomid.oidc;

import io.javalin.config.RoutesConfig;
import kz.freedomid.device.DeviceFlow;
import kz.freedomid.keys.IdTokens;
import kz.freedomid.keys.SigningKeys;
import kz.freedomid.login.LoginFlow;
import kz.freedomid.login.SessionService;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.token.TokenService;

/** The OpenID Connect face (contract section 4), sharing users, sessions, consent and token pairs with the partner API. */
public final class OidcRoutes {
    private final String discovery;
    private final SigningKeys keys;
    private final AuthorizeEndpoint authorize;
    private final TokenEndpoint token;
    private final TokenInfoEndpoints info;
    private final LogoutEndpoint logout;
    private final ParEndpoint par;
    private final DeviceAuthorizationEndpoint device;

    public OidcRoutes(String issuer, PartnerService partners, LoginFlow flow, SessionService sessions, TokenService tokens,
                      SigningKeys keys, IdTokens idTokens, Pages pages, kz.freedomid.callback.SessionEnd sessionEnd,
                      PushedRequests pushedRequests, ClientAssertions assertions, kz.freedomid.dpop.DPoP dpop,
                      DeviceFlow devices) {
        ClientAuthentication clients = new ClientAuthentication(partners, assertions);
        this.discovery = Discovery.document(issuer);
        this.keys = keys;
        this.authorize = new AuthorizeEndpoint(partners, pushedRequests, flow, sessions, pages, issuer);
        this.token = new TokenEndpoint(clients, tokens, idTokens, dpop, issuer, devices);
        this.device = new DeviceAuthorizationEndpoint(clients, devices, issuer);
        this.info = new TokenInfoEndpoints(tokens, clients, issuer, dpop);
        this.par = new ParEndpoint(clients, pushedRequests, dpop, issuer);
        this.logout = new LogoutEndpoint(idTokens, partners, sessions, sessionEnd, pages);
    }

    public void register(RoutesConfig routes) {
        routes.get("/.well-known/openid-configuration", ctx -> ctx.header("Cache-Control", "public, max-age=300")
                .contentType("application/json; charset=utf-8").result(discovery));
        routes.get("/api/v1/oidc/jwks", ctx -> ctx.header("Cache-Control", "public, max-age=300")
                .contentType("application/jwk-set+json").result(keys.publicKeys().toString()));
        routes.get("/openid", authorize::handle);
        routes.post("/openid", authorize::handle);
        routes.post("/api/v1/oidc/token", token::handle);
        routes.post("/api/v1/oidc/par", par::handle);
        routes.post("/api/v1/oidc/device", device::handle);
        routes.get("/api/v1/oidc/userinfo", info::userinfo);
        routes.post("/api/v1/oidc/userinfo", info::userinfo);
        routes.post("/api/v1/oidc/revoke", info::revoke);
        routes.post("/api/v1/oidc/introspect", info::introspect);
        routes.get("/api/v1/oidc/logout", logout::handle);
        routes.post("/api/v1/oidc/logout", logout::handle);
    }
}
