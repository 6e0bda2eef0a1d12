package kz.freedomid.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import kz.freedomid.partner.InvalidPartnerException;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Page;

/** {@code /admin/api/v1/partners}: register, read, list, change, rotate the secret, disable and enable. */
final class AdminPartnerRoutes {
    private static final String PATH = AdminApi.PREFIX + "/partners";

    private final PartnerAdmin partners;

    AdminPartnerRoutes(PartnerAdmin partners) {
        this.partners = partners;
    }

    void register(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH, this::list);
        routes.get(PATH + "/{client_id}", this::show);
        routes.patch(PATH + "/{client_id}", this::update);
        routes.post(PATH + "/{client_id}/rotate-secret", this::rotateSecret);
        routes.post(PATH + "/{client_id}/disable", ctx -> setActive(ctx, false));
        routes.post(PATH + "/{client_id}/enable", ctx -> setActive(ctx, true));
    }

    /** 201 with the partner and its client_secret: the only time the secret is shown (null for a public client). */
    private void create(Context ctx) {
        var json = ApiRequest.jsonObject(ctx);
        PartnerService.NewPartner request = PartnerRequests.create(json);
        boolean secretJwt = Boolean.TRUE.equals(PartnerRequests.clientSecretJwt(json));
        PartnerService.Registered registered = checked(() -> partners.create(request, secretJwt, ctx.ip()));
        Map<String, Object> body = view(registered.partner());
        body.put("client_secret", registered.clientSecret());
        AdminJson.send(ctx, 201, body);
    }

    private void show(Context ctx) {
        UUID clientId = AdminJson.clientId(ctx);
        Partner partner = partners.find(clientId).orElseThrow(() -> AdminJson.notFound(clientId));
        AdminJson.send(ctx, 200, view(partner));
    }

    /** In registration order; {@code next_cursor} is null on the last page. */
    private void list(Context ctx) {
        FieldErrors errors = new FieldErrors();
        Paging paging = Paging.parse(ctx, errors);
        errors.throwIfAny();
        Page<Map<String, Object>> page = partners.page(paging.limit(), paging.cursor()).map(PartnerView::of);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("partners", page.items());
        body.put("next_cursor", page.nextCursor());
        AdminJson.send(ctx, 200, body);
    }

    private void update(Context ctx) {
        UUID clientId = AdminJson.clientId(ctx);
        var json = ApiRequest.jsonObject(ctx);
        var changes = PartnerRequests.changes(json);
        Boolean secretJwt = PartnerRequests.clientSecretJwt(json);
        Partner updated = checked(() -> partners.update(clientId, changes, ctx.ip()))
                .orElseThrow(() -> AdminJson.notFound(clientId));
        if (secretJwt != null) checked(() -> partners.setClientSecretJwt(clientId, secretJwt, ctx.ip()));
        AdminJson.send(ctx, 200, view(updated));
    }

    /** The partner's settings and whether it uses client_secret_jwt (kept beside the partner row). */
    private Map<String, Object> view(Partner partner) {
        Map<String, Object> body = new LinkedHashMap<>(PartnerView.of(partner));
        body.put("token_endpoint_auth_method", partner.settings().publicClient() ? "none"
                : partners.clientSecretJwt(partner.clientId()) ? "client_secret_jwt" : "client_secret_basic");
        return body;
    }

    private void rotateSecret(Context ctx) {
        UUID clientId = AdminJson.clientId(ctx);
        requireEmptyBody(ctx);
        String secret = checked(() -> partners.rotateSecret(clientId, ctx.ip())).orElseThrow(() -> AdminJson.notFound(clientId));
        AdminJson.send(ctx, 200, Map.of("client_id", clientId.toString(), "client_secret", secret));
    }

    private void setActive(Context ctx, boolean active) {
        UUID clientId = AdminJson.clientId(ctx);
        requireEmptyBody(ctx);
        Partner partner = partners.setActive(clientId, active, ctx.ip()).orElseThrow(() -> AdminJson.notFound(clientId));
        AdminJson.send(ctx, 200, view(partner));
    }

    /** The actions take no parameters: an empty body or {} (what many clients send with a POST). */
    private static void requireEmptyBody(Context ctx) {
        ObjectNode body = ApiRequest.jsonObject(ctx);
        FieldErrors errors = new FieldErrors();
        AdminJson.rejectUnknown(body, Set.of(), errors);
        errors.throwIfAny();
    }

    /** The partner service's rule violations become the contract's 422 field map. */
    private static <T> T checked(Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidPartnerException e) {
            throw FreedomException.validation(e.fieldErrors());
        }
    }
}
