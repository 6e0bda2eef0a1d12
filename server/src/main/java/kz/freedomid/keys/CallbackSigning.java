package kz.freedomid.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * What Freedom ID signs for partners outside a token response: the {@code Freedom-Signature} of a revoke callback
 * (contract 3.10) and OIDC back-channel logout tokens. Both verify with the public JWKS.
 */
public final class CallbackSigning {
    public static final String BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** A logout token is made at each delivery attempt, so it only needs to live as long as one attempt. */
    private static final Duration LOGOUT_TOKEN_LIFETIME = Duration.ofMinutes(2);

    private final SigningKeys keys;
    private final String issuer;
    private final Clock clock;

    public CallbackSigning(SigningKeys keys, String issuer, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * A compact JWS over {@code body} with the payload detached (RFC 7515 Appendix F): {@code header..signature}.
     * The partner verifies it by putting the base64url of the exact request body between the dots.
     */
    public String detachedSignature(byte[] body) {
        SigningKeys.Signing signing = keys.signing("RS256");
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.key().getKeyID()).build(),
                new Payload(body));
        try {
            jws.sign(signing.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize(true);
    }

    /** OpenID Back-Channel Logout 1.0 §2.4: iss, aud, iat, exp, jti, sid, sub, events; typ logout+jwt; no nonce. */
    public String logoutToken(UUID clientId, UUID sessionId, UUID userId, String alg) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(clientId.toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LOGOUT_TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .claim("sid", sessionId.toString())
                .claim("events", Map.of(BACKCHANNEL_EVENT, Map.of()));
        if (userId != null) claims.subject(userId.toString());
        String algorithm = alg == null ? "RS256" : alg;
        SigningKeys.Signing signing = keys.signing(algorithm);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).keyID(signing.key().getKeyID())
                .type(new JOSEObjectType("logout+jwt")).build(), claims.build());
        try {
            jwt.sign(signing.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
