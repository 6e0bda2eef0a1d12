package kz.freedomid.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The server's signing keys (RS256 and ES256), kept in the database so every node signs with the same key and
 * publishes the same JWKS. A key is published from creation, signs from {@code active_from} on, and is retired (no
 * longer published) once its successor has signed for longer than every token it signed can live (contract 4.1).
 */
public final class SigningKeys {
    public static final List<String> ALGORITHMS = List.of("RS256", "ES256");
    /** How long a node keeps using the key it loaded before it looks again; rotations reach every node within it. */
    private static final Duration RELOAD_AFTER = Duration.ofMinutes(1);

    /** The key that signs now and a signer made from it once (turning a JWK into a Java private key is not free). */
    public record Signing(JWK key, JWSSigner signer) {
        static Signing of(JWK key) {
            try {
                return new Signing(key, key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner(key.toRSAKey()));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Loaded(Signing signing, Instant loadedAt) {}

    /**
     * A signing key as operators see it, without key material. {@code state}: {@code next} (published, signs from
     * {@code activatesAt}), {@code active} (signs now), {@code retiring} (superseded, still published so tokens it
     * signed verify; unpublished from about {@code retiresAt}) or {@code retired}.
     */
    public record KeyInfo(String kid, String alg, String state, Instant createdAt, Instant activatesAt, Instant retiresAt) {}

    private final Jdbi jdbi;
    private final MasterKey master;
    private final Clock clock;
    private final Map<String, Loaded> current = new ConcurrentHashMap<>();

    public SigningKeys(Jdbi jdbi, MasterKey master, Clock clock) {
        this.jdbi = jdbi;
        this.master = master;
        this.clock = clock;
    }

    /** The private key that signs now for this algorithm; made on first use when the database has none. */
    public JWK current(String alg) {
        return signing(alg).key();
    }

    /** The key that signs now for this algorithm with its signer. */
    public Signing signing(String alg) {
        Instant now = clock.instant();
        Loaded loaded = current.get(alg);
        if (loaded == null || loaded.loadedAt().plus(RELOAD_AFTER).isBefore(now)) {
            loaded = new Loaded(Signing.of(activeKey(alg, now)), now);
            current.put(alg, loaded);
        }
        return loaded.signing();
    }

    /** Every key not retired, including the next one before it signs (contract 4.1). */
    public JWKSet publicKeys() {
        List<String> jwks = jdbi.withHandle(h -> h.createQuery(
                        "SELECT public_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY active_from DESC, kid")
                .mapTo(String.class).list());
        return new JWKSet(jwks.stream().map(SigningKeys::parse).toList());
    }

    /**
     * Every key, newest first. {@code retention} is how long a superseded key stays published after its successor
     * starts signing (what {@link #maintain} is given).
     */
    public List<KeyInfo> describe(Duration retention) {
        record Row(String kid, String alg, Instant createdAt, Instant activeFrom, Instant retiredAt) {}
        List<Row> rows = jdbi.withHandle(h -> h.createQuery(
                        "SELECT kid, alg, created_at, active_from, retired_at FROM signing_keys ORDER BY active_from DESC, kid")
                .map((rs, ctx) -> new Row(rs.getString("kid"), rs.getString("alg"),
                        rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject("active_from", java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject("retired_at", java.time.OffsetDateTime.class) == null ? null
                                : rs.getObject("retired_at", java.time.OffsetDateTime.class).toInstant()))
                .list());
        Instant now = clock.instant();
        Map<String, Instant> signing = new java.util.HashMap<>(); // per algorithm: active_from of the key that signs now
        for (Row r : rows) {
            if (r.retiredAt() == null && !r.activeFrom().isAfter(now)) signing.merge(r.alg(), r.activeFrom(), (a, b) -> a.isAfter(b) ? a : b);
        }
        return rows.stream().map(r -> {
            if (r.retiredAt() != null) return new KeyInfo(r.kid(), r.alg(), "retired", r.createdAt(), r.activeFrom(), r.retiredAt());
            // A key is unpublished once the first newer key of its algorithm has signed for the retention.
            Instant successor = rows.stream().filter(o -> o.alg().equals(r.alg()) && o.activeFrom().isAfter(r.activeFrom()))
                    .map(Row::activeFrom).min(Instant::compareTo).orElse(null);
            Instant retiresAt = successor == null ? null : successor.plus(retention);
            String state = r.activeFrom().isAfter(now) ? "next"
                    : r.activeFrom().equals(signing.get(r.alg())) ? "active" : "retiring";
            return new KeyInfo(r.kid(), r.alg(), state, r.createdAt(), r.activeFrom(), retiresAt);
        }).toList();
    }

    /** Publishes a new key per algorithm that starts signing after {@code lead}; returns their key ids. */
    public List<String> rotate(Duration lead) {
        Instant activeFrom = clock.instant().plus(lead);
        List<String> kids = ALGORITHMS.stream().map(alg -> create(alg, activeFrom)).toList();
        current.clear();
        return kids;
    }

    /**
     * Scheduled upkeep: when the newest key of an algorithm is older than {@code period} and no successor waits,
     * publish one that signs after {@code lead}; retire keys whose successor has signed for {@code retention}.
     */
    public void maintain(Duration period, Duration lead, Duration retention) {
        Instant now = clock.instant();
        for (String alg : ALGORITHMS) {
            Instant newest = jdbi.withHandle(h -> h.createQuery(
                            "SELECT MAX(active_from) FROM signing_keys WHERE alg = :alg AND retired_at IS NULL")
                    .bind("alg", alg).mapTo(Instant.class).one());
            if (newest != null && !newest.isAfter(now) && newest.plus(period).isBefore(now)) create(alg, now.plus(lead));
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE signing_keys SET retired_at = :now
                        WHERE retired_at IS NULL AND EXISTS (
                            SELECT 1 FROM signing_keys newer WHERE newer.alg = signing_keys.alg
                            AND newer.active_from > signing_keys.active_from AND newer.active_from <= :cutoff)""")
                .bind("now", now).bind("cutoff", now.minus(retention)).execute());
    }

    private JWK activeKey(String alg, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT private_jwk_enc FROM signing_keys WHERE alg = :alg "
                        + "AND retired_at IS NULL AND active_from <= :now ORDER BY active_from DESC, kid FETCH FIRST 1 ROWS ONLY")
                .bind("alg", alg).bind("now", now).mapTo(String.class).findOne())
                .map(enc -> parse(master.decrypt(enc)))
                .orElseGet(() -> parse(master.decrypt(privateOf(create(alg, now)))));
    }

    private String privateOf(String kid) {
        return jdbi.withHandle(h -> h.createQuery("SELECT private_jwk_enc FROM signing_keys WHERE kid = :kid")
                .bind("kid", kid).mapTo(String.class).one());
    }

    private String create(String alg, Instant activeFrom) {
        try {
            String kid = UUID.randomUUID().toString();
            JWK key = switch (alg) {
                case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
                default -> throw new IllegalArgumentException("unsupported signing algorithm " + alg);
            };
            Instant now = clock.instant();
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_enc, created_at, "
                            + "active_from) VALUES (:kid, :alg, :pub, :priv, :now, :from)")
                    .bind("kid", kid).bind("alg", alg).bind("pub", key.toPublicJWK().toJSONString())
                    .bind("priv", master.encrypt(key.toJSONString())).bind("now", now).bind("from", activeFrom).execute());
            return kid;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
