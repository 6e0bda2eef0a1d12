package kz.freedomid.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kz.freedomid.keys.IdTokens;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.login.SessionService;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.OAuthException;
import kz.freedomid.platform.Redirects;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.platform.web.Ui;
import kz.freedomid.callback.SessionEnd;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0; contract 4.5). With a valid id_token_hint for the
 * current session the session ends at once; otherwise the user confirms on a page, so no other site can sign them out.
 */
final class LogoutEndpoint {
    private final IdTokens idTokens;
    private final PartnerService partners;
    private final SessionService sessions;
    private final SessionEnd sessionEnd;
    private final Pages pages;

    LogoutEndpoint(IdTokens idTokens, PartnerService partners, SessionService sessions, SessionEnd sessionEnd, Pages pages) {
        this.idTokens = idTokens;
        this.partners = partners;
        this.sessions = sessions;
        this.sessionEnd = sessionEnd;
        this.pages = pages;
    }

    void handle(Context ctx) {
        OAuthParams params;
        try {
            params = "POST".equals(ctx.method().name()) ? OAuthParams.body(ctx) : OAuthParams.query(ctx);
        } catch (OAuthException e) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.bad_request");
            return;
        }
        String hint = params.optional("id_token_hint");
        Optional<JWTClaimsSet> claims = hint == null ? Optional.empty() : idTokens.verifyHint(hint);
        if (hint != null && claims.isEmpty()) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.hint");
            return;
        }
        String clientId = claims.map(c -> c.getAudience().isEmpty() ? null : c.getAudience().get(0))
                .orElse(params.optional("client_id"));
        Optional<Partner> client = PartnerService.parseUuid(clientId).flatMap(partners::find);
        String returnTo = params.optional("post_logout_redirect_uri");
        if (returnTo != null && (client.isEmpty() || !client.get().allowsPostLogoutRedirectUri(returnTo))) {
            pages.message(ctx, 400, "oidc.error.title", "oidc.error.logout_uri");
            return;
        }
        var session = sessions.find(ctx.cookie(LoginRoutes.SESSION_COOKIE));
        boolean hintMatchesSession = claims.isPresent() && session.isPresent()
                && session.get().session().id().toString().equals(claims.get().getClaim("sid"));
        boolean confirmed = "POST".equals(ctx.method().name()) && "yes".equals(params.optional("confirm"))
                && session.isPresent() && SessionService.csrfMatches(session.get().handle(), params.optional("csrf"));
        if (session.isPresent() && !hintMatchesSession && !confirmed) {
            Map<String, Object> model = new HashMap<>();
            model.put("ui", pages.ui(ctx, session.get().csrfToken()));
            model.put("returnTo", returnTo == null ? "" : returnTo);
            model.put("state", Optional.ofNullable(params.optional("state")).orElse(""));
            model.put("clientId", client.map(p -> p.clientId().toString()).orElse(""));
            model.put("clientName", client.map(Partner::name).orElse(""));
            pages.render(ctx, 200, "logout_confirm.jte", model);
            return;
        }
        if (session.isPresent()) {
            sessionEnd.endSession(session.get().session().id(), session.get().session().userId(), "logout");
        }
        ctx.removeCookie(LoginRoutes.SESSION_COOKIE, "/");
        if (returnTo != null) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("state", params.optional("state"));
            ctx.redirect(Redirects.withParams(returnTo, query), HttpStatus.SEE_OTHER);
        } else {
            Ui ui = pages.ui(ctx, null);
            pages.render(ctx, 200, "message.jte", Map.of("ui", ui, "title", ui.t().get("logout.done.title"),
                    "text", ui.t().get("logout.done.text")));
        }
    }
}
