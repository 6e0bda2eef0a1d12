package kz.freedomid.oidc;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kz.freedomid.partner.Partner;

/**
 * private_key_jwt and client_secret_jwt (RFC 7523 §2.2, §3; OIDC Core §9): a JWT signed with a key of the client's
 * registered JWK set, or MACed (HS256/384/512) with its client secret when the partner opted in to client_secret_jwt
 * (see {@link ClientSecretJwt}), with iss = sub = client_id, aud the token endpoint or the issuer, a short exp, and a jti
 * accepted once across all nodes.
 */
public final class ClientAssertions {
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256", "HS256", "HS384", "HS512");
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Set<JWSAlgorithm> MACS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    /** The longest lifetime an assertion may claim: "short" (RFC 7523 §3 item 4 lets the server limit it). */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Duration SKEW = Duration.ofSeconds(30);

    public final RecurringTask<Void> cleanup;
    private final AssertionJtiStore jtis;
    private final Clock clock;
    private final Set<String> audiences;
    private final RemoteJwks remoteJwks;
    private final ClientSecretJwt secretJwt;

    public ClientAssertions(AssertionJtiStore jtis, Clock clock, String issuer, RemoteJwks remoteJwks, ClientSecretJwt secretJwt) {
        this.secretJwt = secretJwt;
        this.jtis = jtis;
        this.clock = clock;
        this.remoteJwks = remoteJwks;
        this.audiences = Set.of(issuer, issuer + "/api/v1/oidc/token");
        this.cleanup = Tasks.recurring("client-assertion-jti-cleanup", FixedDelay.ofMinutes(5))
                .execute((instance, ctx) -> cleanup());
    }

    /** Forgets the jti of assertions that have expired (they would be refused for their exp anyway). */
    int cleanup() {
        return jtis.deleteExpired(clock.instant());
    }

    /** The client_id the assertion claims (iss), before anything is verified; empty when it is not a signed JWT. */
    static Optional<String> claimedClient(String assertion) {
        try {
            return Optional.ofNullable(SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer());
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when the assertion is valid for this client; a jti is remembered only once every other check passed. */
    boolean verify(Partner client, String assertion) {
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            if (MACS.contains(alg)) {
                // Only with a sealed secret of a partner that opted in; a key-based alg never falls back to the secret.
                Optional<String> secret = secretJwt.secretOf(client.clientId());
                if (secret.isEmpty() || !jwt.verify(new MACVerifier(secret.get().getBytes(StandardCharsets.UTF_8)))) return false;
            } else {
                if (client.settings().jwks() == null && client.settings().jwksUri() == null) return false;
                if (!ALLOWED.contains(alg)) return false;
                if (!signedByClient(jwt, client)) return false;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String clientId = client.clientId().toString();
            if (!clientId.equals(claims.getIssuer()) || !clientId.equals(claims.getSubject())) return false;
            if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(audiences::contains)) return false;
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            if (exp == null || !exp.toInstant().isAfter(now.minus(SKEW)) || exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
                return false;
            }
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && nbf.toInstant().isAfter(now.plus(SKEW))) return false;
            String jti = claims.getJWTID();
            if (jti == null || jti.isEmpty() || jti.length() > 256) return false;
            return jtis.remember(client.clientId(), jti, exp.toInstant().plus(SKEW));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Against the registered set, or the set at the client's jwks_uri; that one is fetched again when the assertion's
     * kid is not in it (the client rotated its keys; RemoteJwks limits how often).
     */
    private boolean signedByClient(SignedJWT jwt, Partner client) throws JOSEException, ParseException {
        if (client.settings().jwks() != null) return signedByClient(jwt, JWKSet.parse(client.settings().jwks()));
        String uri = client.settings().jwksUri();
        Optional<JWKSet> keys = remoteJwks.get(uri);
        if (keys.isPresent() && signedByClient(jwt, keys.get())) return true;
        String kid = jwt.getHeader().getKeyID();
        boolean unknownKid = kid != null && (keys.isEmpty() || keys.get().getKeyByKeyId(kid) == null);
        if (!unknownKid) return false;
        Optional<JWKSet> fresh = remoteJwks.refetch(uri);
        return fresh.isPresent() && signedByClient(jwt, fresh.get());
    }

    private static boolean signedByClient(SignedJWT jwt, JWKSet keys) throws JOSEException {
        String kid = jwt.getHeader().getKeyID();
        boolean ec = JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm());
        for (JWK key : keys.getKeys()) {
            if (kid != null && key.getKeyID() != null && !kid.equals(key.getKeyID())) continue;
            JWSVerifier verifier = ec && key instanceof ECKey e ? new ECDSAVerifier(e.toECPublicKey())
                    : !ec && key instanceof RSAKey r ? new RSASSAVerifier(r.toRSAPublicKey()) : null;
            if (verifier != null && jwt.verify(verifier)) return true;
        }
        return false;
    }
}
