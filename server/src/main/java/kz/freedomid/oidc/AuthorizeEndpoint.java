package kz.freedomid.oidc;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.freedomid.login.LoginFlow;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.login.LoginTrack;
import kz.freedomid.login.SessionService;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.platform.Redirects;
import kz.freedomid.platform.web.Messages;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.user.UserService;

/**
 * {@code GET|POST /openid} (contract 4.2). Until the client and redirect URI are known good, errors are shown as a page;
 * after that they go back to the client as a redirect (RFC 6749 §4.1.2.1). A good request becomes a login track and
 * continues on the hosted login pages.
 */
final class AuthorizeEndpoint {
    private final PartnerService partners;
    private final PushedRequests pushedRequests;
    private final LoginFlow flow;
    private final SessionService sessions;
    private final Pages pages;
    private final String issuer;

    AuthorizeEndpoint(PartnerService partners, PushedRequests pushedRequests, LoginFlow flow, SessionService sessions,
                      Pages pages, String issuer) {
        this.partners = partners;
        this.pushedRequests = pushedRequests;
        this.flow = flow;
        this.sessions = sessions;
        this.pages = pages;
        this.issuer = issuer;
    }

    void handle(Context ctx) {
        OAuthParams params;
        Partner client;
        String requestUri;
        try {
            params = "POST".equals(ctx.method().name()) ? OAuthParams.body(ctx) : OAuthParams.query(ctx);
            client = PartnerService.parseUuid(params.required("client_id")).flatMap(partners::find)
                    .filter(Partner::active).orElse(null);
            requestUri = params.optional("request_uri");
        } catch (OAuthException e) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.bad_request");
            return;
        }
        if (client == null) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.unknown_client");
            return;
        }
        if (requestUri != null) {
            // RFC 9126 §4: only the pushed parameters count; the others next to request_uri are ignored. Unknown,
            // expired, used or another client's: no redirect URI is known good, so the error is a page.
            Optional<OAuthParams> pushed = pushedRequests.redeem(client, requestUri);
            if (pushed.isEmpty()) {
                pages.message(ctx, 400, "oidc.error.title", "oidc.error.request_uri");
                return;
            }
            params = pushed.get();
        }
        String redirectUri;
        try {
            redirectUri = params.required("redirect_uri");
        } catch (OAuthException e) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.bad_request");
            return;
        }
        if (!client.allowsRedirectUri(redirectUri)) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.redirect_uri");
            return;
        }
        String state = null;
        try {
            state = params.optional("state");
            // RFC 9126 §6: a client that must push its requests may not send them here directly.
            if (requestUri == null && client.settings().requirePushedRequests()) {
                throw OAuthException.invalidRequest("This client must push its authorization requests (PAR).");
            }
            startLogin(ctx, params, client, redirectUri, state);
        } catch (OAuthException e) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("error", e.error());
            error.put("error_description", e.description());
            if (state != null) error.put("state", state);
            error.put("iss", issuer);
            ctx.redirect(Redirects.withParams(redirectUri, error), HttpStatus.SEE_OTHER);
        }
    }

    private void startLogin(Context ctx, OAuthParams params, Partner client, String redirectUri, String state) {
        AuthorizationRequest request = AuthorizationRequest.validate(params, client, redirectUri, state);
        Set<String> prompt = request.prompt();
        LoginFlow.Link link = flow.createLink(client, redirectUri, request.grants(), state, request.oidc());

        if (prompt.contains("none")) {
            ctx.redirect(silent(ctx, link, client).orElseThrow(), HttpStatus.SEE_OTHER);
            return;
        }
        String lang = request.lang();
        ctx.redirect("/login?track_id=" + link.trackId() + "&expire_at=" + link.expiresAt().getEpochSecond()
                + (lang == null ? "" : "&lang=" + lang), HttpStatus.SEE_OTHER);
    }

    /** prompt=none: answer at once from the existing session, or login_required / consent_required. */
    private Optional<String> silent(Context ctx, LoginFlow.Link link, Partner client) {
        LoginTrack track = ((LoginFlow.TrackState.Open) flow.open(link.trackId().toString())).track();
        var session = sessions.find(ctx.cookie(LoginRoutes.SESSION_COOKIE));
        if (session.isEmpty() || !flow.authenticationFresh(track, session.get().session())) {
            return flow.fail(track, "login_required", "The user is not signed in.");
        }
        if (!flow.consentRemembered(session.get().session().userId(), track)) {
            return flow.fail(track, "consent_required", "The user has not consented to these scopes.");
        }
        return flow.approve(track, client, session.get().session(), ctx.ip());
    }

    private static OAuthException error(String code, String description) {
        return OAuthException.of(400, code, description);
    }
}
