package kz.freedomid.registration;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.audit.Actor;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.AuditLog;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.InvalidPartnerException;
import kz.freedomid.partner.Partner;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Json;
import kz.freedomid.platform.Secrets;
import kz.freedomid.platform.Transactions;

/**
 * Dynamic client registration (RFC 7591) and its management (RFC 7592): a registered client is a partner like any other,
 * without partner permissions; its registration access token is kept as a SHA-256 and binds to that client alone.
 */
public final class RegistrationService {
    static final int ACCESS_TOKEN_LENGTH = 64;
    private static final String UNKNOWN_HASH = Secrets.sha256("no such registration");

    /** A registered client as its owner sees it; {@code clientSecret} only right after registration. */
    public record Client(Partner partner, Map<String, Object> extras, String clientSecret, String registrationAccessToken) {}

    /** A registration whose access token was presented and checked. */
    public record Authorized(Partner partner, Map<String, Object> extras, String presentedToken) {}

    private final kz.freedomid.oidc.ClientSecretJwt secretJwt;
    private final PartnerService partners;
    private final RegistrationStore store;
    private final InitialAccessTokens initialTokens;
    private final Transactions transactions;
    private final Secrets secrets;
    private final Clock clock;
    private final AuditLog audit;

    public RegistrationService(PartnerService partners, RegistrationStore store, InitialAccessTokens initialTokens,
                               Transactions transactions, Secrets secrets, Clock clock, AuditLog audit,
                               kz.freedomid.oidc.ClientSecretJwt secretJwt) {
        this.secretJwt = secretJwt;
        this.partners = partners;
        this.store = store;
        this.initialTokens = initialTokens;
        this.transactions = transactions;
        this.secrets = secrets;
        this.clock = clock;
        this.audit = audit;
    }

    private static boolean usesSecretJwt(ClientMetadata metadata) {
        return kz.freedomid.oidc.ClientSecretJwt.METHOD.equals(metadata.tokenEndpointAuthMethod());
    }

    /** The usable initial access token with this value (RFC 7591 §3); invalid_token otherwise. */
    public InitialAccessTokens.TokenInfo authorizeInitial(String initialToken) {
        return initialTokens.find(initialToken).orElseThrow(() -> RegistrationException.invalidToken(initialToken == null
                ? "no initial access token" : "initial access token unknown, expired, used up or revoked"));
    }

    /** Registers the client and uses the token once, in one transaction: a refused registration uses nothing. */
    public Client register(InitialAccessTokens.TokenInfo initial, ClientMetadata metadata, String clientIp) {
        String accessToken = secrets.alphanumeric(ACCESS_TOKEN_LENGTH);
        Client client = transactions.inTransaction(() -> {
            if (!initialTokens.consume(initial.id())) throw RegistrationException.invalidToken("initial access token used up meanwhile");
            PartnerService.Registered registered = checked(() -> partners.register(new PartnerService.NewPartner(
                    name(metadata), metadata.redirectUris(), metadata.scope(), null, settings(metadata, null))));
            Partner partner = registered.partner();
            // The only moment the plain secret exists: HMAC assertions need it sealed now or never.
            if (usesSecretJwt(metadata)) secretJwt.enable(partner.clientId(), registered.clientSecret());
            store.insert(new RegistrationStore.Stored(partner.clientId(), Secrets.sha256(accessToken), initial.id(),
                    Json.write(metadata.extras()), clock.instant()));
            return new Client(partner, metadata.extras(), metadata.usesSecret() ? registered.clientSecret() : null, accessToken);
        });
        UUID clientId = client.partner().clientId();
        audit.record(Actor.SYSTEM, "registration.token.used", initial.id(), clientIp, AuditEvent.details("client_id", clientId));
        audit.record(Actor.partner(clientId), "registration.client.registered", clientId, clientIp,
                AuditEvent.details("initial_token_id", initial.id(), "redirect_uris", metadata.redirectUris(),
                        "grant_types", metadata.grantTypes(), "token_endpoint_auth_method", metadata.tokenEndpointAuthMethod()));
        return client;
    }

    /**
     * The registration of {@code clientId} when {@code accessToken} is its registration access token; invalid_token
     * for anything else, the same whether or not the client exists (RFC 7592 §2).
     */
    public Authorized authorize(String clientId, String accessToken) {
        var stored = PartnerService.parseUuid(clientId).flatMap(store::find);
        String expected = stored.map(RegistrationStore.Stored::accessTokenHash).orElse(UNKNOWN_HASH);
        boolean matches = Secrets.constantTimeEquals(expected, Secrets.sha256(accessToken == null ? "" : accessToken));
        if (stored.isEmpty() || !matches || accessToken == null) throw RegistrationException.invalidToken();
        Partner partner = partners.find(stored.get().clientId()).orElseThrow(RegistrationException::invalidToken);
        return new Authorized(partner, extras(stored.get().metadataJson()), accessToken);
    }

    /** RFC 7592 §2.1: the current registration, with the presented registration access token. */
    public Client read(Authorized registration) {
        return new Client(registration.partner(), registration.extras(), null, registration.presentedToken());
    }

    /**
     * RFC 7592 §2.2: the metadata replace the registered ones (absent values are removed), client_id and (when sent)
     * client_secret must be the client's own; a new registration access token replaces the old one.
     */
    public Client update(Authorized registration, String sentClientId, String sentSecret, ClientMetadata metadata,
                         String clientIp) {
        Partner current = registration.partner();
        if (!current.clientId().toString().equals(sentClientId)) {
            throw RegistrationException.metadata("client_id must be the registered client's.");
        }
        if (sentSecret != null && !Secrets.constantTimeEquals(current.secretHash(), Secrets.sha256(sentSecret))) {
            throw RegistrationException.metadata("client_secret is not the client's current secret.");
        }
        if (metadata.publicClient() != current.settings().publicClient()) {
            throw RegistrationException.metadata("token_endpoint_auth_method cannot change between none and the others.");
        }
        boolean sealed = secretJwt.enabled(current.clientId());
        if (usesSecretJwt(metadata) && !sealed) {
            throw RegistrationException.metadata("client_secret_jwt can be chosen at registration only: afterwards the"
                    + " server keeps just a hash of the secret, and an HMAC cannot be checked against a hash.");
        }
        String accessToken = secrets.alphanumeric(ACCESS_TOKEN_LENGTH);
        Partner updated = transactions.inTransaction(() -> {
            if (sealed && !usesSecretJwt(metadata)) secretJwt.disable(current.clientId());
            Partner after = checked(() -> partners.replace(current.clientId(), p -> new Partner(p.clientId(), name(metadata),
                    p.secretHash(), List.copyOf(metadata.redirectUris()), Set.copyOf(metadata.scope()), p.revokeUri(),
                    p.accessTtl(), p.refreshTtl(), p.active(), p.createdAt(), settings(metadata, p.settings()))))
                    .orElseThrow(RegistrationException::invalidToken).after();
            if (!store.update(current.clientId(), Secrets.sha256(accessToken), Json.write(metadata.extras()), clock.instant())) {
                throw RegistrationException.invalidToken();
            }
            return after;
        });
        audit.record(Actor.partner(current.clientId()), "registration.client.updated", current.clientId(), clientIp,
                AuditEvent.details("redirect_uris", metadata.redirectUris(), "grant_types", metadata.grantTypes()));
        return new Client(updated, metadata.extras(), null, accessToken);
    }

    /**
     * RFC 7592 §2.3: the client is disabled as an operator disables a partner (it fails client authentication and its
     * tokens stop working at once) and its registration, with the registration access token, is gone.
     */
    public void delete(Authorized registration, String clientIp) {
        UUID clientId = registration.partner().clientId();
        transactions.inTransaction(() -> {
            partners.setActive(clientId, false);
            return store.delete(clientId);
        });
        audit.record(Actor.partner(clientId), "registration.client.deleted", clientId, clientIp, Map.of());
    }

    private static String name(ClientMetadata metadata) {
        return metadata.clientName() != null ? metadata.clientName() : "Unnamed client";
    }

    /** No permissions, ever; other operator settings (id_token alg, profile key, PAR) are kept on update. */
    private static ClientSettings settings(ClientMetadata m, ClientSettings current) {
        return new ClientSettings(m.publicClient(), m.postLogoutRedirectUris(), m.backchannelLogoutUri(), Set.of(),
                current == null ? "RS256" : current.idTokenAlg(), current == null ? null : current.profileJwk(),
                current != null && current.requirePushedRequests(), m.jwks(), m.jwksUri());
    }

    private static Map<String, Object> extras(String json) {
        try {
            return Json.MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored registration metadata is not JSON", e);
        }
    }

    /** A partner rule broken by the metadata: the URI lists are invalid_redirect_uri, the rest invalid_client_metadata. */
    private static <T> T checked(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidPartnerException e) {
            boolean uris = e.fieldErrors().keySet().stream().allMatch(f -> f.startsWith("redirect_uris") || f.startsWith("post_logout"));
            throw new RegistrationException(uris ? RegistrationException.INVALID_REDIRECT_URI
                    : RegistrationException.INVALID_CLIENT_METADATA, e.getMessage());
        }
    }
}
