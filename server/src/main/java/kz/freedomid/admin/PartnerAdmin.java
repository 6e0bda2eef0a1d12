package kz.freedomid.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.oidc.ClientSecretJwt;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.InvalidPartnerException;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerChanges;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Page;
import kz.freedomid.platform.PageCursor;

/**
 * What operators do to partners, through the admin API or the command line: each change is audited with actor
 * {@code admin}, where it came from ({@code clientIp}, {@code cli} for the command line) and what changed.
 */
public final class PartnerAdmin {
    public static final String CLI = "cli";

    private final PartnerService partners;
    private final AuditLog audit;
    private final ClientSecretJwt secretJwt;

    public PartnerAdmin(PartnerService partners, AuditLog audit, ClientSecretJwt secretJwt) {
        this.partners = partners;
        this.audit = audit;
        this.secretJwt = secretJwt;
    }

    public PartnerService.Registered create(PartnerService.NewPartner request, String clientIp) {
        return create(request, false, clientIp);
    }

    /** With {@code clientSecretJwt}, the new secret is also sealed so that client_secret_jwt assertions can be checked. */
    public PartnerService.Registered create(PartnerService.NewPartner request, boolean clientSecretJwt, String clientIp) {
        if (clientSecretJwt && request.settings() != null && request.settings().publicClient()) {
            throw new InvalidPartnerException(Map.of("token_endpoint_auth_method",
                    List.of("A public client has no secret, so it cannot use client_secret_jwt.")));
        }
        PartnerService.Registered registered = partners.register(request);
        Partner p = registered.partner();
        if (clientSecretJwt) secretJwt.enable(p.clientId(), registered.clientSecret());
        audit.record(Actor.ADMIN, "admin.partner.created", p.clientId(), clientIp, AuditEvent.details("name", p.name(),
                "public", p.settings().publicClient(), "redirect_uris", p.redirectUris(),
                "grants", p.grants().stream().map(Grant::wireName).toList(), "permissions", p.settings().permissions(),
                "token_endpoint_auth_method", clientSecretJwt ? ClientSecretJwt.METHOD : "client_secret_basic"));
        return registered;
    }

    public Optional<Partner> find(UUID clientId) {
        return partners.find(clientId);
    }

    public Page<Partner> page(int limit, PageCursor after) {
        return partners.page(limit, after);
    }

    public Optional<Partner> update(UUID clientId, PartnerChanges changes, String clientIp) {
        Optional<PartnerService.Updated> updated = partners.update(clientId, changes);
        updated.ifPresent(u -> {
            Map<String, Object> changed = changed(u.before(), u.after());
            if (!changed.isEmpty()) {
                audit.record(Actor.ADMIN, "admin.partner.updated", clientId, clientIp, Map.of("changed", changed));
            }
        });
        return updated.map(PartnerService.Updated::after);
    }

    /**
     * A new client secret; empty when there is no such partner. A public client has none to rotate
     * ({@link InvalidPartnerException}). The secret itself is never audited.
     */
    public Optional<String> rotateSecret(UUID clientId, String clientIp) {
        if (partners.find(clientId).map(p -> p.settings().publicClient()).orElse(false)) {
            throw new InvalidPartnerException(Map.of("client_id",
                    List.of("A public client has no secret: it authenticates with PKCE.")));
        }
        Optional<String> secret = partners.rotateSecret(clientId);
        if (secret.isPresent()) {
            boolean sealed = secretJwt.reseal(clientId, secret.get());
            audit.record(Actor.ADMIN, "admin.partner.secret_rotated", clientId, clientIp,
                    sealed ? Map.of("sealed_for", ClientSecretJwt.METHOD) : Map.of());
        }
        return secret;
    }

    /**
     * Switches client_secret_jwt on or off for a confidential partner; switched on here, it works from the next secret
     * rotation (only a hash of the current secret exists). False when there is no such partner.
     */
    public boolean clientSecretJwt(UUID clientId) {
        return secretJwt.enabled(clientId);
    }

    public boolean setClientSecretJwt(UUID clientId, boolean on, String clientIp) {
        Optional<Partner> partner = partners.find(clientId);
        if (partner.isEmpty()) return false;
        if (on && partner.get().settings().publicClient()) {
            throw new InvalidPartnerException(Map.of("token_endpoint_auth_method",
                    List.of("A public client has no secret, so it cannot use client_secret_jwt.")));
        }
        if (on == secretJwt.enabled(clientId)) return true;
        if (on) secretJwt.enable(clientId, null); else secretJwt.disable(clientId);
        audit.record(Actor.ADMIN, "admin.partner.updated", clientId, clientIp, Map.of("changed",
                Map.of("token_endpoint_auth_method", on ? ClientSecretJwt.METHOD : "client_secret_basic")));
        return true;
    }

    public Optional<Partner> setActive(UUID clientId, boolean active, String clientIp) {
        Optional<PartnerService.Updated> updated = partners.setActive(clientId, active);
        updated.ifPresent(u -> audit.record(Actor.ADMIN, active ? "admin.partner.enabled" : "admin.partner.disabled",
                clientId, clientIp, AuditEvent.details("previous_status", u.before().active() ? "active" : "disabled")));
        return updated.map(PartnerService.Updated::after);
    }

    /** The settings that differ, with their new values; a profile key is named, not copied. */
    private static Map<String, Object> changed(Partner before, Partner after) {
        Map<String, Object> old = PartnerView.of(before);
        Map<String, Object> now = PartnerView.of(after);
        Map<String, Object> changed = new LinkedHashMap<>();
        now.forEach((field, value) -> {
            if (Objects.equals(old.get(field), value)) return;
            changed.put(field, field.equals("profile_jwk") ? (value == null ? "removed" : "replaced") : value);
        });
        return changed;
    }
}
