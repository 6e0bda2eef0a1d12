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
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    private final PartnerService partners;
    private final LoginFlow flow;
    private final SessionService sessions;
    private final Pages pages;
    private final String issuer;

    AuthorizeEndpoint(PartnerService partners, LoginFlow flow, SessionService sessions, Pages pages, String issuer) {
        this.partners = partners;
        this.flow = flow;
        this.sessions = sessions;
        this.pages = pages;
        this.issuer = issuer;
    }

    void handle(Context ctx) {
        OAuthParams params;
        Partner client;
        String redirectUri;
        try {
            params = "POST".equals(ctx.method().name()) ? OAuthParams.body(ctx) : OAuthParams.query(ctx);
            client = PartnerService.parseUuid(params.required("client_id")).flatMap(partners::find)
                    .filter(Partner::active).orElse(null);
            redirectUri = params.required("redirect_uri");
        } catch (OAuthException e) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.bad_request");
            return;
        }
        if (client == null) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.unknown_client");
            return;
        }
        if (!client.allowsRedirectUri(redirectUri)) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.redirect_uri");
            return;
        }
        String state = null;
        try {
            state = params.optional("state");
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
        if (params.optional("request") != null) throw error("request_not_supported", "Request objects are not supported.");
        if (params.optional("request_uri") != null) throw error("request_uri_not_supported", "request_uri is not supported.");
        String responseType = params.required("response_type");
        if (!"code".equals(responseType)) throw error("unsupported_response_type", "Only response_type=code is supported.");
        String responseMode = params.optional("response_mode");
        if (responseMode != null && !"query".equals(responseMode)) throw OAuthException.invalidRequest("Only response_mode=query is supported.");
        Set<Grant> grants = scopes(params.required("scope"), client);
        if (state != null && state.length() > 512) throw OAuthException.invalidRequest("state is longer than 512 characters.");
        String nonce = params.optional("nonce");
        if (nonce != null && nonce.length() > 512) throw OAuthException.invalidRequest("nonce is longer than 512 characters.");
        String challenge = pkce(params, client);
        Set<String> prompt = prompt(params.optional("prompt"));
        Integer maxAge = maxAge(params.optional("max_age"));
        String loginHint = Optional.ofNullable(params.optional("login_hint")).flatMap(UserService::normalizePhone).orElse(null);
        LoginTrack.OidcRequest oidc = new LoginTrack.OidcRequest(nonce, challenge,
                prompt.contains("login") ? "login" : prompt.contains("consent") ? "consent" : null, maxAge, loginHint);
        LoginFlow.Link link = flow.createLink(client, redirectUri, grants, state, oidc);

        if (prompt.contains("none")) {
            ctx.redirect(silent(ctx, link, client).orElseThrow(), HttpStatus.SEE_OTHER);
            return;
        }
        String lang = Messages.pick(params.optional("ui_locales"));
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
        return flow.approve(track, client, session.get().session());
    }

    private static Set<Grant> scopes(String scope, Partner client) {
        Set<Grant> grants = EnumSet.noneOf(Grant.class);
        for (String name : scope.trim().split("\\s+")) {
            Grant grant = Grant.parse(name).orElseThrow(() -> OAuthException.invalidScope("Unknown scope '" + name + "'."));
            if (!client.grants().contains(grant)) throw OAuthException.invalidScope("Scope '" + name + "' is not allowed for this client.");
            grants.add(grant);
        }
        if (!grants.contains(Grant.OPENID)) throw OAuthException.invalidScope("The scope must include openid.");
        return grants;
    }

    /** RFC 7636: S256 only; required for public clients (contract 4.2). */
    private static String pkce(OAuthParams params, Partner client) {
        String challenge = params.optional("code_challenge");
        String method = params.optional("code_challenge_method");
        if (challenge == null) {
            if (method != null) throw OAuthException.invalidRequest("code_challenge_method without code_challenge.");
            if (client.settings().publicClient()) throw OAuthException.invalidRequest("PKCE (S256) is required for this client.");
            return null;
        }
        if (!"S256".equals(method)) throw OAuthException.invalidRequest("code_challenge_method must be S256.");
        if (!challenge.matches("[A-Za-z0-9_-]{43}")) throw OAuthException.invalidRequest("code_challenge is malformed.");
        return challenge;
    }

    private static Set<String> prompt(String raw) {
        if (raw == null) return Set.of();
        Set<String> values = Set.copyOf(Arrays.asList(raw.trim().split("\\s+")));
        if (!PROMPTS.containsAll(values)) throw OAuthException.invalidRequest("Unsupported prompt value.");
        if (values.contains("none") && values.size() > 1) throw OAuthException.invalidRequest("prompt=none must stand alone.");
        return values;
    }

    private static Integer maxAge(String raw) {
        if (raw == null) return null;
        try {
            int value = Integer.parseInt(raw);
            if (value < 0) throw OAuthException.invalidRequest("max_age must not be negative.");
            return value;
        } catch (NumberFormatException e) {
            throw OAuthException.invalidRequest("max_age must be a number of seconds.");
        }
    }

    private static OAuthException error(String code, String description) {
        return OAuthException.of(400, code, description);
    }
}
