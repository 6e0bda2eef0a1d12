package kz.freedomid.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CryptoTest {
    private static final String PROFILE = "{\"freedom_id\":\"u1\",\"firstname\":\"Dana\",\"verification\":{\"phone_verified\":true,\"level\":\"basic\"}}";

    @Test
    void decryptsRsaOaep256Profile() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("r1").generate();
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM), new Payload(PROFILE));
        jwe.encrypt(new RSAEncrypter(key.toPublicJWK()));
        Profile profile = new ProfileDecryptor(key).decrypt(jwe.serialize());
        assertThat(profile.freedomId()).isEqualTo("u1");
        assertThat(profile.phoneVerified()).isTrue();
        assertThat(profile.verificationLevel()).isEqualTo("basic");
    }

    @Test
    void decryptsEcdhEsProfileAndRefusesTheWrongKey() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM), new Payload(PROFILE));
        jwe.encrypt(new ECDHEncrypter(key.toPublicJWK()));
        assertThat(ProfileDecryptor.fromJwkJson(key.toJSONString()).decrypt(jwe.serialize()).firstname()).isEqualTo("Dana");
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        assertThatThrownBy(() -> new ProfileDecryptor(other).decrypt(jwe.serialize())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callbackVerifiesDetachedSignatureAndRejectsAlteredBody() throws Exception {
        RSAKey signing = new RSAKeyGenerator(2048).keyID("k1").generate();
        CallbackVerifier verifier = new CallbackVerifier(new JwksCache(() -> new JWKSet(signing.toPublicJWK()),
                Duration.ofMinutes(10), Duration.ZERO, Clock.systemUTC()));
        byte[] body = "{\"id\":\"pair-1\"}".getBytes(StandardCharsets.UTF_8);
        String header = sign(signing, body);
        assertThat(header).contains("..");
        assertThat(verifier.verify(header, body)).isEqualTo("pair-1");
        assertThatThrownBy(() -> verifier.verify(header, "{\"id\":\"pair-2\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidCallbackException.class);
        assertThatThrownBy(() -> verifier.verify(null, body)).isInstanceOf(InvalidCallbackException.class);
    }

    @Test
    void unknownKidRefetchesTheJwksOnceThenUsesTheCache() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
        AtomicInteger fetches = new AtomicInteger();
        CallbackVerifier verifier = new CallbackVerifier(new JwksCache(() -> {
            fetches.incrementAndGet();
            return published.get();
        }, Duration.ofMinutes(10), Duration.ZERO, Clock.systemUTC()));
        byte[] body = "{\"id\":\"p\"}".getBytes(StandardCharsets.UTF_8);
        verifier.verify(sign(first, body), body);
        verifier.verify(sign(first, body), body);
        assertThat(fetches).hasValue(1);
        published.set(new JWKSet(java.util.List.of(first.toPublicJWK(), rotated.toPublicJWK())));
        assertThat(verifier.verify(sign(rotated, body), body)).isEqualTo("p");
        assertThat(fetches).hasValue(2);
    }

    private static String sign(RSAKey key, byte[] body) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), new Payload(body));
        jws.sign(new RSASSASigner(key));
        return jws.serialize(true);
    }
}
