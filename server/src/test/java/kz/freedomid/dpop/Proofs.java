package kz.freedomid.dpop;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** A client's DPoP key and the proofs it signs (RFC 9449 §4.2), built by hand so that tests can break each part. */
public final class Proofs {
    final JWK key;
    final JWSAlgorithm alg;

    private Proofs(JWK key, JWSAlgorithm alg) {
        this.key = key;
        this.alg = alg;
    }

    public static Proofs es256() {
        try {
            return new Proofs(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Proofs rsa(JWSAlgorithm alg) {
        try {
            return new Proofs(new RSAKeyGenerator(2048).generate(), alg);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public String jkt() {
        try {
            return key.computeThumbprint().toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    JWSHeader.Builder header() {
        return new JWSHeader.Builder(alg).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK());
    }

    static JWTClaimsSet.Builder claims(String method, String url, Instant iat) {
        return new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", method).claim("htu", url)
                .issueTime(Date.from(iat));
    }

    /** A good proof; {@code accessToken} adds ath, {@code nonce} the server's nonce (either may be null). */
    public String proof(String method, String url, Instant iat, String accessToken, String nonce) {
        JWTClaimsSet.Builder claims = claims(method, url, iat);
        if (accessToken != null) claims.claim("ath", DPoP.ath(accessToken));
        if (nonce != null) claims.claim("nonce", nonce);
        return sign(header(), claims.build());
    }

    /** A proof whose header carries the private key too, which Nimbus's builder refuses to write. */
    String withPrivateJwk(JWTClaimsSet claims) {
        try {
            var header = new java.util.LinkedHashMap<String, Object>(header().build().toJSONObject());
            header.put("jwk", key.toJSONObject());
            String input = com.nimbusds.jose.util.Base64URL.encode(kz.freedomid.platform.Json.write(header)) + "."
                    + com.nimbusds.jose.util.Base64URL.encode(claims.toString());
            JWSSigner signer = new ECDSASigner((ECKey) key);
            return input + "." + signer.sign(header().build(), input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String sign(JWSHeader.Builder header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header.build(), claims);
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
