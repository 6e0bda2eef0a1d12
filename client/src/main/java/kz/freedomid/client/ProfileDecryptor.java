package kz.freedomid.client;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.Set;

/**
 * Decrypts the profile JWE of contract 3.7 with the partner's private key: {@code RSA-OAEP-256} with an RSA key or
 * {@code ECDH-ES+A256KW} with an EC key, content {@code A256GCM}. Other algorithms are refused.
 */
public final class ProfileDecryptor {
    private static final Set<JWEAlgorithm> ALGORITHMS = Set.of(JWEAlgorithm.RSA_OAEP_256, JWEAlgorithm.ECDH_ES_A256KW);

    private final JWK privateKey;

    /** @param privateKey the private JWK whose public part is registered as the partner's profile key */
    public ProfileDecryptor(JWK privateKey) {
        if (!privateKey.isPrivate()) throw new IllegalArgumentException("a private key is needed to decrypt");
        this.privateKey = privateKey;
    }

    /** Parses a private JWK in JSON form. */
    public static ProfileDecryptor fromJwkJson(String privateJwkJson) {
        try {
            return new ProfileDecryptor(JWK.parse(privateJwkJson));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK", e);
        }
    }

    /** Decrypts {@link ProfileStatus#encryptedProfile()}. */
    public Profile decrypt(String compactJwe) {
        try {
            JWEObject jwe = JWEObject.parse(compactJwe);
            JWEAlgorithm alg = jwe.getHeader().getAlgorithm();
            if (!ALGORITHMS.contains(alg) || !EncryptionMethod.A256GCM.equals(jwe.getHeader().getEncryptionMethod())) {
                throw new IllegalArgumentException("unexpected JWE algorithm " + alg + " / " + jwe.getHeader().getEncryptionMethod());
            }
            jwe.decrypt(decrypter(alg));
            return new Profile(Json.read(jwe.getPayload().toBytes()));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a compact JWE", e);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the profile cannot be decrypted with this key", e);
        }
    }

    private JWEDecrypter decrypter(JWEAlgorithm alg) throws JOSEException {
        if (alg.equals(JWEAlgorithm.RSA_OAEP_256) && privateKey instanceof RSAKey rsa) return new RSADecrypter(rsa);
        if (alg.equals(JWEAlgorithm.ECDH_ES_A256KW) && privateKey instanceof ECKey ec) return new ECDHDecrypter(ec);
        throw new IllegalArgumentException("the key type " + privateKey.getKeyType() + " does not match " + alg);
    }
}
