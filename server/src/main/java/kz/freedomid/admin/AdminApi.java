package kz.freedomid.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Secrets;

/**
 * The admin REST API (contract 6) under {@value #PREFIX}: partners, users and cards, signing keys and the audit trail, for the holder
 * of the admin token ({@code Authorization: Bearer <FREEDOM_ID_ADMIN_TOKEN>}). Registered only when the token is set;
 * otherwise every admin path is an unknown path (404).
 */
public final class AdminApi {
    public static final String PREFIX = "/admin/api/v1";

    private final String tokenHash;
    private final AuditLog audit;
    private final AdminPartnerRoutes partners;
    private final AdminKeyRoutes keys;
    private final AdminAuditRoutes auditRoutes;
    private final AdminUserRoutes users;

    public AdminApi(String adminToken, PartnerAdmin partners, UserAdmin users, KeyAdmin keys, AuditLog audit) {
        this.users = new AdminUserRoutes(users);
        this.tokenHash = Secrets.sha256(adminToken);
        this.audit = audit;
        this.partners = new AdminPartnerRoutes(partners);
        this.keys = new AdminKeyRoutes(keys);
        this.auditRoutes = new AdminAuditRoutes(audit);
    }

    public void register(RoutesConfig routes) {
        // Every path under /admin/api, known or not, asks for the token first: unknown paths reveal nothing either.
        routes.before("/admin/api/*", this::authenticate);
        partners.register(routes);
        users.register(routes);
        keys.register(routes);
        auditRoutes.register(routes);
    }

    /**
     * Compared as SHA-256 digests in constant time, so neither the token's content nor its length leaks through
     * timing. A wrong token (not a missing one) is audited: it is someone trying.
     */
    private void authenticate(Context ctx) {
        String presented = ApiRequest.bearer(ctx);
        if (presented != null && Secrets.constantTimeEquals(tokenHash, Secrets.sha256(presented))) return;
        if (presented != null) {
            audit.record(Actor.ADMIN, "admin.auth_failed", (String) null, ctx.ip(),
                    java.util.Map.of("method", ctx.method().name(), "path", truncated(ctx.path())));
        }
        throw new FreedomException(FreedomError.INVALID_ACCESS_TOKEN, "admin token missing or wrong");
    }

    private static String truncated(String path) {
        return path.length() <= 200 ? path : path.substring(0, 200);
    }
}
