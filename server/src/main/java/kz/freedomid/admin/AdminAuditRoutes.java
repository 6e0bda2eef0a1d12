package kz.freedomid.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.audit.AuditQuery;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.Page;

/** {@code GET /admin/api/v1/audit?actor=&subject=&action=&since=&until=&limit=&cursor=}: newest first, paged. */
final class AdminAuditRoutes {
    private final AuditLog audit;

    AdminAuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    void register(RoutesConfig routes) {
        routes.get(AdminApi.PREFIX + "/audit", this::list);
    }

    private void list(Context ctx) {
        FieldErrors errors = new FieldErrors();
        Paging paging = Paging.parse(ctx, errors);
        AuditQuery query = AuditFilters.parse(ctx.queryParam("actor"), ctx.queryParam("subject"), ctx.queryParam("action"),
                ctx.queryParam("since"), ctx.queryParam("until"), paging.limit(), paging.cursor(), errors);
        errors.throwIfAny();
        Page<Map<String, Object>> page = audit.search(query).map(AuditView::of);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", page.items());
        body.put("next_cursor", page.nextCursor());
        AdminJson.send(ctx, 200, body);
    }
}
