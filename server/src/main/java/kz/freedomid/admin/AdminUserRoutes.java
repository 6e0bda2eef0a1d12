package kz.freedomid.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.oauth.UserBody;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.ApiRequest;
import kz.freedomid.platform.FieldErrors;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.user.Card;
import kz.freedomid.user.CardService;
import kz.freedomid.user.User;

/**
 * {@code /admin/api/v1/users}: create, read, search by phone or email, change (the partner API's rules and partial
 * semantics), block, unblock, delete, and the user's cards.
 */
final class AdminUserRoutes {
    private static final String PATH = AdminApi.PREFIX + "/users";

    private final UserAdmin users;

    AdminUserRoutes(UserAdmin users) {
        this.users = users;
    }

    void register(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH, this::search);
        routes.get(PATH + "/{id}", this::show);
        routes.patch(PATH + "/{id}", this::update);
        routes.delete(PATH + "/{id}", this::delete);
        routes.post(PATH + "/{id}/block", ctx -> send(ctx, users.block(userId(ctx), ctx.ip()).orElseThrow(() -> notFound())));
        routes.post(PATH + "/{id}/unblock", ctx -> send(ctx, users.unblock(userId(ctx), ctx.ip()).orElseThrow(() -> notFound())));
        routes.get(PATH + "/{id}/cards", this::cards);
        routes.post(PATH + "/{id}/cards", this::attachCard);
        routes.delete(PATH + "/{id}/cards/{card_id}", this::removeCard);
    }

    private void create(Context ctx) {
        UserBody body = UserBody.parse(ApiRequest.jsonObject(ctx), false);
        UserAdmin.Account account = users.create(body.input(), ctx.ip());
        AdminJson.send(ctx, 201, view(account));
    }

    private void show(Context ctx) {
        send(ctx, users.find(userId(ctx)).orElseThrow(AdminUserRoutes::notFound));
    }

    /** Exact phone ({@code +77011234567}) or email, matched against primary and additional ones alike. */
    private void search(Context ctx) {
        String phone = ctx.queryParam("phone");
        String email = ctx.queryParam("email");
        FieldErrors errors = new FieldErrors();
        if ((phone == null || phone.isBlank()) && (email == null || email.isBlank())) {
            errors.add("phone", "Give a phone or an email to search for.");
        }
        Paging paging = Paging.parse(ctx, errors);
        errors.throwIfAny();
        List<Map<String, Object>> found = users.search(blankToNull(phone), blankToNull(email), paging.limit()).stream()
                .map(AdminUserRoutes::summary).toList();
        AdminJson.send(ctx, 200, Map.of("users", found));
    }

    private void update(Context ctx) {
        UUID id = userId(ctx);
        UserBody body = UserBody.parse(ApiRequest.jsonObject(ctx), false);
        AdminJson.send(ctx, 200, view(users.update(id, body.input(), ctx.ip())));
    }

    private void delete(Context ctx) {
        if (!users.delete(userId(ctx), ctx.ip())) throw notFound();
        ctx.status(204);
    }

    private void cards(Context ctx) {
        UUID id = userId(ctx);
        users.find(id).orElseThrow(AdminUserRoutes::notFound);
        AdminJson.send(ctx, 200, Map.of("cards", Card.released(users.cards(id))));
    }

    private void attachCard(Context ctx) {
        UUID id = userId(ctx);
        ObjectNode body = ApiRequest.jsonObject(ctx);
        FieldErrors errors = new FieldErrors();
        AdminJson.rejectUnknown(body, Set.of("masked_pan", "brand", "expiry"), errors);
        String maskedPan = AdminJson.string(body, "masked_pan", errors);
        String brand = AdminJson.string(body, "brand", errors);
        String expiry = AdminJson.string(body, "expiry", errors);
        errors.throwIfAny();
        Card card = users.attachCard(id, new CardService.NewCard(maskedPan, brand, expiry), ctx.ip());
        AdminJson.send(ctx, 201, card.released());
    }

    private void removeCard(Context ctx) {
        UUID id = userId(ctx);
        UUID cardId = PartnerService.parseUuid(ctx.pathParam("card_id")).orElseThrow(AdminUserRoutes::notFound);
        if (!users.removeCard(id, cardId, ctx.ip())) throw notFound();
        ctx.status(204);
    }

    private static void send(Context ctx, UserAdmin.Account account) {
        AdminJson.send(ctx, 200, view(account));
    }

    static Map<String, Object> view(UserAdmin.Account account) {
        Map<String, Object> out = summary(account.user());
        out.put("phones", account.extras().phones());
        out.put("emails", account.extras().emails());
        out.put("cards", Card.released(account.extras().cards()));
        return out;
    }

    static Map<String, Object> summary(User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("freedom_id", u.id().toString());
        out.put("status", u.active() ? "active" : "blocked");
        out.put("phone", u.phone());
        out.put("phone_verified", u.phoneVerified());
        out.put("email", u.email());
        out.put("email_verified", u.emailVerified());
        out.put("firstname", u.firstname());
        out.put("lastname", u.lastname());
        out.put("patronymic", u.patronymic());
        out.put("date_of_birth", u.dateOfBirth() == null ? null : u.dateOfBirth().toString());
        out.put("gender", u.gender());
        out.put("country", u.country());
        out.put("nationality", u.nationality());
        out.put("identifier", u.identifier());
        out.put("has_password", u.hasPassword());
        out.put("created_at", u.createdAt() == null ? null : u.createdAt().toString());
        out.put("last_login_at", u.lastLoginAt() == null ? null : u.lastLoginAt().toString());
        return out;
    }

    private static UUID userId(Context ctx) {
        return PartnerService.parseUuid(ctx.pathParam("id")).orElseThrow(AdminUserRoutes::notFound);
    }

    private static FreedomException notFound() {
        return new FreedomException(FreedomError.NOT_FOUND, "no such user or card");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
