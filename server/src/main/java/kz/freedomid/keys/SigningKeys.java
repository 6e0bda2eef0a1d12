package kz.freedomid.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The server's signing keys, kept in the database so every node signs with the same key and publishes the same JWKS.
 * The first node to start without a key makes one (RS256, 2048 bits).
 */
public final class SigningKeys {
    private final Jdbi jdbi;
    private final MasterKey master;
    private final Clock clock;
    private volatile RSAKey current;

    public SigningKeys(Jdbi jdbi, MasterKey master, Clock clock) {
        this.jdbi = jdbi;
        this.master = master;
        this.clock = clock;
    }

    /** The active private key; loaded once and kept, since a key never changes once made. */
    public RSAKey current() {
        RSAKey key = current;
        if (key == null) {
            synchronized (this) {
                if (current == null) current = loadOrCreate();
                key = current;
            }
        }
        return key;
    }

    public JWKSet publicKeys() {
        List<String> jwks = jdbi.withHandle(h -> h.createQuery(
                        "SELECT public_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY active_from DESC")
                .mapTo(String.class).list());
        return new JWKSet(jwks.stream().map(SigningKeys::parsePublic).map(k -> (com.nimbusds.jose.jwk.JWK) k).toList());
    }

    private RSAKey loadOrCreate() {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("SELECT private_jwk_enc FROM signing_keys WHERE retired_at IS NULL "
                        + "AND active_from <= :now ORDER BY active_from DESC FETCH FIRST 1 ROWS ONLY")
                .bind("now", now).mapTo(String.class).findOne())
                .map(enc -> parsePrivate(master.decrypt(enc)))
                .orElseGet(() -> create(now));
    }

    private RSAKey create(Instant now) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.RS256)
                    .keyUse(KeyUse.SIGNATURE).generate();
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_enc, created_at, "
                            + "active_from) VALUES (:kid, 'RS256', :pub, :priv, :now, :now)")
                    .bind("kid", key.getKeyID()).bind("pub", key.toPublicJWK().toJSONString())
                    .bind("priv", master.encrypt(key.toJSONString())).bind("now", now).execute());
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey parsePrivate(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey parsePublic(String json) {
        return parsePrivate(json).toPublicJWK();
    }
}
