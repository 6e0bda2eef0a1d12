package kz.freedomid.partner;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.platform.FreedomError;
import kz.freedomid.platform.FreedomException;
import kz.freedomid.platform.Ids;
import kz.freedomid.platform.Page;
import kz.freedomid.platform.PageCursor;
import kz.freedomid.platform.Secrets;

/** Registers partners and authenticates them by client credentials. */
public final class PartnerService {
    /** 64 characters of [A-Za-z0-9]: about 380 bits, so a fast hash at rest is safe (style 4). */
    static final int SECRET_LENGTH = 64;
    private static final String UNKNOWN_CLIENT_HASH = Secrets.sha256("no such client");

    /** {@code accessTtl} and {@code refreshTtl} null: the server's defaults (contract 1). */
    public record NewPartner(String name, List<String> redirectUris, Set<Grant> grants, String revokeUri,
                             ClientSettings settings, Duration accessTtl, Duration refreshTtl) {
        public NewPartner(String name, List<String> redirectUris, Set<Grant> grants, String revokeUri) {
            this(name, redirectUris, grants, revokeUri, ClientSettings.defaults());
        }

        public NewPartner(String name, List<String> redirectUris, Set<Grant> grants, String revokeUri,
                          ClientSettings settings) {
            this(name, redirectUris, grants, revokeUri, settings, null, null);
        }
    }

    public record Registered(Partner partner, String clientSecret) {}

    /** A partner before and after a change, so that callers can tell what changed. */
    public record Updated(Partner before, Partner after) {}

    private final PartnerStore store;
    private final Secrets secrets;
    private final Ids ids;
    private final Clock clock;

    public PartnerService(PartnerStore store, Secrets secrets, Ids ids, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.ids = ids;
        this.clock = clock;
    }

    public Registered register(NewPartner request) {
        return register(request, ids.random(), secrets.alphanumeric(SECRET_LENGTH));
    }

    /** Registers with a fixed id and secret; used to seed the development demo partner. */
    public Registered register(NewPartner request, UUID clientId, String secret) {
        ClientSettings settings = request.settings();
        if (settings.profileJwk() != null) {
            settings = new ClientSettings(settings.publicClient(), settings.postLogoutRedirectUris(),
                    settings.backchannelLogoutUri(), settings.permissions(), settings.idTokenAlg(),
                    PartnerRules.profileJwk(settings.profileJwk()), settings.requirePushedRequests(), settings.jwks(),
                    settings.jwksUri(), settings.deviceGrant());
        }
        Partner partner = new Partner(clientId, request.name() == null ? null : request.name().strip(),
                Secrets.sha256(secret),
                request.redirectUris() == null ? List.of() : List.copyOf(new LinkedHashSet<>(request.redirectUris())),
                request.grants() == null ? Set.of() : Set.copyOf(request.grants()),
                request.revokeUri(), request.accessTtl(), request.refreshTtl(), true, clock.instant(), settings);
        PartnerRules.check(partner);
        store.insert(partner);
        return new Registered(partner, partner.settings().publicClient() ? null : secret);
    }

    public List<Partner> list() {
        return store.list();
    }

    public Optional<Partner> find(UUID clientId) {
        return store.find(clientId);
    }

    /** Partners in registration order, {@code limit} at a time, after the cursor of the previous page. */
    public Page<Partner> page(int limit, PageCursor after) {
        return Page.of(store.page(after, limit + 1), limit, p -> new PageCursor(p.createdAt(), p.clientId()));
    }

    /**
     * Applies the changes under the rules of registration ({@link InvalidPartnerException} when one breaks, and
     * nothing is changed); empty when there is no such partner.
     */
    public Optional<Updated> update(UUID clientId, PartnerChanges changes) {
        boolean newKey = changes.profileJwk() != null && changes.profileJwk().value() != null;
        PartnerChanges publicForm = newKey ? changes.withProfileJwk(PartnerRules.profileJwk(changes.profileJwk().value()))
                : changes;
        return store.update(clientId, current -> {
            Partner next = publicForm.applyTo(current);
            PartnerRules.check(next);
            return next;
        }, clock.instant());
    }

    /**
     * Replaces the partner with what {@code change} makes of it, under the rules of registration (for changes that
     * {@link PartnerChanges} does not express, such as a dynamically registered client's full update, RFC 7592 §2.2).
     */
    public Optional<Updated> replace(UUID clientId, java.util.function.UnaryOperator<Partner> change) {
        return store.update(clientId, current -> {
            Partner next = change.apply(current);
            PartnerRules.check(next);
            return next;
        }, clock.instant());
    }

    /**
     * Disables or enables the partner. A disabled partner fails client authentication and its tokens stop working at
     * once (every token lookup joins the partner's status); enabling it again revives tokens that have not expired.
     */
    public Optional<Updated> setActive(UUID clientId, boolean active) {
        return store.update(clientId, p -> new Partner(p.clientId(), p.name(), p.secretHash(), p.redirectUris(), p.grants(),
                p.revokeUri(), p.accessTtl(), p.refreshTtl(), active, p.createdAt(), p.settings()), clock.instant());
    }

    /** A public client identifies itself by client_id alone (RFC 6749 §2.1); PKCE then stands in for the secret. */
    public Optional<Partner> findPublicClient(String clientId) {
        return parseUuid(clientId).flatMap(store::find).filter(p -> p.active() && p.settings().publicClient());
    }

    /** Issues a new secret; the old one stops working at once. */
    public Optional<String> rotateSecret(UUID clientId) {
        String secret = secrets.alphanumeric(SECRET_LENGTH);
        return store.replaceSecret(clientId, Secrets.sha256(secret), clock.instant()) ? Optional.of(secret) : Optional.empty();
    }

    /**
     * Registers the public JWK profiles are encrypted to (contract 3.7); null removes it. False when there is no such
     * partner; IllegalArgumentException (with a message for the operator) when the key is not acceptable.
     */
    public boolean setProfileJwk(UUID clientId, String jwkJson) {
        return store.setProfileJwk(clientId, jwkJson == null ? null : publicProfileJwk(jwkJson), clock.instant());
    }

    /**
     * Replaces the permissions of the partner's service tokens (none clears them); live service tokens lose a withdrawn
     * permission at once. False when there is no such partner; IllegalArgumentException for an unknown permission.
     */
    public boolean setPermissions(UUID clientId, Set<String> permissions) {
        for (String permission : permissions) {
            if (!ClientSettings.KNOWN_PERMISSIONS.contains(permission)) {
                throw new IllegalArgumentException("unknown permission '" + permission + "'; known: "
                        + ClientSettings.KNOWN_PERMISSIONS);
            }
        }
        return store.setPermissions(clientId, Set.copyOf(permissions), clock.instant());
    }

    /**
     * Checks a profile encryption key and returns its public JSON form. Accepted: a public RSA key (2048 bits or more,
     * used with RSA-OAEP-256) or a public EC P-256 key (used with ECDH-ES+A256KW). A private key is refused, so that
     * an operator never stores a partner's private key here by mistake.
     */
    /** The public form of a client's JWK set for private_key_jwt; IllegalArgumentException when malformed or private. */
    public static String publicJwks(String jwksJson) {
        com.nimbusds.jose.jwk.JWKSet set;
        try {
            set = com.nimbusds.jose.jwk.JWKSet.parse(jwksJson);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException("The jwks is not a valid JWK set (RFC 7517): " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) throw new IllegalArgumentException("The jwks has no keys.");
        for (var key : set.getKeys()) {
            if (key.isPrivate() || !(key instanceof com.nimbusds.jose.jwk.RSAKey || key instanceof com.nimbusds.jose.jwk.ECKey)) {
                throw new IllegalArgumentException("The jwks must hold only public RSA or EC keys.");
            }
        }
        return set.toString(true);
    }

    public static String publicProfileJwk(String jwkJson) {
        com.nimbusds.jose.jwk.JWK jwk;
        try {
            jwk = com.nimbusds.jose.jwk.JWK.parse(jwkJson);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException("The profile key is not a valid JWK (RFC 7517): " + e.getMessage());
        }
        if (jwk.isPrivate()) {
            throw new IllegalArgumentException("The profile key file holds a PRIVATE key. Give only the partner's public"
                    + " key (the JWK without \"d\" and the other private members); the private key stays with the partner.");
        }
        if (jwk.getKeyUse() != null && jwk.getKeyUse() != com.nimbusds.jose.jwk.KeyUse.ENCRYPTION) {
            throw new IllegalArgumentException("The profile key has \"use\": \"" + jwk.getKeyUse().identifier()
                    + "\"; an encryption key (\"use\": \"enc\") is needed.");
        }
        String alg = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
        if (jwk instanceof com.nimbusds.jose.jwk.RSAKey rsa) {
            if (alg != null && !alg.equals("RSA-OAEP-256")) {
                throw new IllegalArgumentException("An RSA profile key must have \"alg\": \"RSA-OAEP-256\" (or none), not " + alg);
            }
            if (rsa.size() < 2048) throw new IllegalArgumentException("An RSA profile key must have at least 2048 bits");
        } else if (jwk instanceof com.nimbusds.jose.jwk.ECKey ec) {
            if (!com.nimbusds.jose.jwk.Curve.P_256.equals(ec.getCurve())) {
                throw new IllegalArgumentException("An EC profile key must be on curve P-256, not " + ec.getCurve());
            }
            if (alg != null && !alg.equals("ECDH-ES+A256KW")) {
                throw new IllegalArgumentException("An EC profile key must have \"alg\": \"ECDH-ES+A256KW\" (or none), not " + alg);
            }
        } else {
            throw new IllegalArgumentException("The profile key must be an RSA (RSA-OAEP-256) or EC P-256 (ECDH-ES+A256KW)"
                    + " public key, not " + jwk.getKeyType());
        }
        return jwk.toPublicJWK().toJSONString();
    }

    /** Client authentication; any failure is the same 100001 so nothing tells which part was wrong. */
    public Partner authenticate(String clientId, String secret) {
        Optional<Partner> partner = parseUuid(clientId).flatMap(store::find);
        String expected = partner.map(Partner::secretHash).orElse(UNKNOWN_CLIENT_HASH);
        boolean secretMatches = Secrets.constantTimeEquals(expected, Secrets.sha256(secret == null ? "" : secret));
        if (partner.isEmpty() || !secretMatches || !partner.get().active() || partner.get().settings().publicClient()) {
            throw new FreedomException(FreedomError.INVALID_CLIENT, "client authentication failed for " + clientId);
        }
        return partner.get();
    }

    public static Optional<UUID> parseUuid(String raw) {
        if (raw == null || raw.length() != 36) return Optional.empty();
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Absolute URI without a fragment (RFC 6749 §3.1.2); http(s) or an app's private scheme. */
    static boolean isValidRedirectUri(String raw) {
        if (raw == null || raw.length() > 2000) return false;
        try {
            URI uri = new URI(raw);
            return uri.isAbsolute() && uri.getRawFragment() == null
                    && (!uri.getScheme().startsWith("http") || uri.getHost() != null);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    public static boolean isHttpUrl(String raw) {
        if (raw == null || raw.length() > 2000) return false;
        try {
            URI uri = new URI(raw);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
