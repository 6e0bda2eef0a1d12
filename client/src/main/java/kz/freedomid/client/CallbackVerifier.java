package kz.freedomid.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.Set;

/**
 * Verifies revoke callbacks (contract 3.10) in a partner's receiver. The {@code Freedom-Signature} header is a compact
 * JWS with a detached payload ({@code header..signature}); the payload is the exact request body. Thread-safe.
 *
 * <pre>{@code
 * String pairId = verifier.verify(request.header("Freedom-Signature"), request.bodyBytes());
 * sessions.endByTokenPair(pairId);   // then answer 2xx
 * }</pre>
 */
public final class CallbackVerifier {
    /** The header Freedom ID signs callbacks in. */
    public static final String SIGNATURE_HEADER = "Freedom-Signature";
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final JwksCache keys;

    CallbackVerifier(JwksCache keys) {
        this.keys = keys;
    }

    /**
     * Checks the signature over {@code body} and returns the revoked token pair's id.
     *
     * @throws InvalidCallbackException when the signature is missing or wrong, or the body is not a revoke callback
     *         (answer 401)
     * @throws FreedomIdTransportException when the JWKS cannot be fetched (answer 5xx: Freedom ID will retry)
     */
    public String verify(String signatureHeader, byte[] body) {
        if (signatureHeader == null || signatureHeader.isBlank()) throw new InvalidCallbackException("no " + SIGNATURE_HEADER);
        JWSObject jws;
        try {
            jws = JWSObject.parse(signatureHeader.trim(), new Payload(body));
        } catch (ParseException e) {
            throw new InvalidCallbackException("malformed " + SIGNATURE_HEADER, e);
        }
        JWSAlgorithm alg = jws.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) throw new InvalidCallbackException("algorithm not accepted: " + alg);
        String kid = jws.getHeader().getKeyID();
        JWK key = kid == null ? null : keys.key(kid);
        if (key == null) throw new InvalidCallbackException("unknown signing key " + kid);
        try {
            if (!jws.verify(verifier(alg, key))) throw new InvalidCallbackException("signature does not verify");
        } catch (JOSEException e) {
            throw new InvalidCallbackException("signature cannot be checked", e);
        }
        JsonNode json;
        try {
            json = Json.read(body);
        } catch (FreedomIdTransportException e) {
            throw new InvalidCallbackException("the body is not JSON", e);
        }
        String id = Json.text(json, "id");
        if (id == null) throw new InvalidCallbackException("the body has no id");
        return id;
    }

    private static JWSVerifier verifier(JWSAlgorithm alg, JWK key) throws JOSEException {
        if (JWSAlgorithm.RS256.equals(alg) && key instanceof RSAKey rsa) return new RSASSAVerifier(rsa);
        if (JWSAlgorithm.ES256.equals(alg) && key instanceof ECKey ec) return new ECDSAVerifier(ec);
        throw new InvalidCallbackException("key " + key.getKeyID() + " does not fit " + alg);
    }
}
