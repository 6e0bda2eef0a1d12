package kz.freedomid.profile;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;

/** Encrypts a profile to the partner's public JWK: RSA-OAEP-256 or ECDH-ES+A256KW, content A256GCM; compact JWE. */
public final class ProfileEncryptor {
    private ProfileEncryptor() {}

    public static String encrypt(String publicJwk, String profileJson) {
        try {
            JWK jwk = JWK.parse(publicJwk);
            JWEAlgorithm alg;
            JWEEncrypter encrypter;
            if (jwk instanceof RSAKey rsa) {
                alg = JWEAlgorithm.RSA_OAEP_256;
                encrypter = new RSAEncrypter(rsa.toRSAPublicKey());
            } else if (jwk instanceof ECKey ec) {
                alg = JWEAlgorithm.ECDH_ES_A256KW;
                encrypter = new ECDHEncrypter(ec.toECPublicKey());
            } else {
                throw new IllegalStateException("unsupported profile key type " + jwk.getKeyType());
            }
            JWEHeader header = new JWEHeader.Builder(alg, EncryptionMethod.A256GCM)
                    .contentType("JSON").type(JOSEObjectType.JOSE).keyID(jwk.getKeyID()).build();
            JWEObject jwe = new JWEObject(header, new Payload(profileJson));
            jwe.encrypt(encrypter);
            return jwe.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot encrypt the profile: " + e.getMessage(), e);
        }
    }
}
