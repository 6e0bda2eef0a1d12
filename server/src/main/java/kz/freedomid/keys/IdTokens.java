package kz.freedomid.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import kz.freedomid.token.IssuedTokens;
import kz.freedomid.token.TokenPair;

/** OIDC id_tokens (contract 4.3): iss, sub, aud, exp, iat, auth_time, nonce, at_hash, sid, amr. */
public final class IdTokens {
    private final SigningKeys keys;
    private final String issuer;
    private final Clock clock;
    private final Duration lifetime;

    public IdTokens(SigningKeys keys, String issuer, Clock clock, Duration lifetime) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** @param alg RS256 or ES256, the partner's choice */
    public String issue(IssuedTokens issued, String alg) {
        TokenPair pair = issued.pair();
        String nonce = pair.nonce();
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(pair.userId().toString())
                .audience(pair.clientId().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("at_hash", atHash(issued.accessToken()));
        if (pair.authTime() != null) claims.claim("auth_time", pair.authTime().getEpochSecond());
        if (pair.sessionId() != null) claims.claim("sid", pair.sessionId().toString());
        if (pair.amr() != null) claims.claim("amr", List.of(pair.amr()));
        if (nonce != null) claims.claim("nonce", nonce);
        SigningKeys.Signing signing = keys.signing(alg);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID(signing.key().getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signing.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /**
     * Checks an id_token_hint (OIDC RP-Initiated Logout §2): our issuer and a key we publish; an expired one is fine.
     */
    public java.util.Optional<JWTClaimsSet> verifyHint(String idToken) {
        try {
            SignedJWT jwt = SignedJWT.parse(idToken);
            JWK key = keys.publicKeys().getKeyByKeyId(jwt.getHeader().getKeyID());
            if (key == null) return java.util.Optional.empty();
            boolean valid = key instanceof ECKey ec ? jwt.verify(new ECDSAVerifier(ec)) : jwt.verify(new RSASSAVerifier(key.toRSAKey()));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return valid && issuer.equals(claims.getIssuer()) ? java.util.Optional.of(claims) : java.util.Optional.empty();
        } catch (java.text.ParseException | JOSEException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** OIDC Core §3.1.3.6: left half of SHA-256 of the access token, base64url. */
    static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
