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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import kz.freedomid.platform.ClusterEvents;
import org.jdbi.v3.core.Jdbi;

/**
 * The server's signing keys (RS256 and ES256), kept in the database so every node signs with the same key and
 * publishes the same JWKS. A key is published from creation, signs from {@code active_from} on, and is retired (no
 * longer published) once its successor has signed for longer than every token it signed can live (contract 4.1).
 *
 * <p>The hot paths (the JWKS endpoint, signing id_tokens, logout and callback tokens, checking an id_token_hint) use
 * one snapshot of the keys not retired, read in one query. It is read again when the next published key's
 * {@code active_from} comes (a scheduled activation needs no message), after a change made here, when another node or
 * the admin command line announces {@code keys} (every change does, in its transaction), and otherwise within the
 * bounds of {@link ClusterEvents}: a rotation elsewhere is seen within milliseconds while this node listens, within
 * {@link ClusterEvents#UNHEARD_MAX_AGE} when it does not (H2, the listener down), within
 * {@link ClusterEvents#TRUST_WINDOW} when notifications silently stop; a change by hand within the max age.
 *
 * <p>Signing must not wait for the database when nothing is known to have changed: while one request reads a snapshot
 * that is merely old again, the others go on with the one in hand, and when that read fails (the database is down)
 * the one in hand keeps signing. Otherwise a database outage would queue every signing request behind one read.
 */
public final class SigningKeys {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SigningKeys.class);
    public static final List<String> ALGORITHMS = List.of("RS256", "ES256");

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

    /**
     * The private key that signs now per algorithm, the published set, and when the next published key starts
     * signing (null: none waits). {@code version} is the count of changes it was read under.
     */
    private record Snapshot(Map<String, Signing> signing, JWKSet published, Instant readAt, Instant nextActivation,
                            ClusterEvents.Stamp stamp, long version) {}

    private record Row(String alg, String publicJwk, String privateJwkEnc, Instant activeFrom) {}

    /**
     * A signing key as operators see it, without key material. {@code state}: {@code next} (published, signs from
     * {@code activatesAt}), {@code active} (signs now), {@code retiring} (superseded, still published so tokens it
     * signed verify; unpublished from about {@code retiresAt}) or {@code retired}.
     */
    public record KeyInfo(String kid, String alg, String state, Instant createdAt, Instant activatesAt, Instant retiresAt) {}

    private final Jdbi jdbi;
    private final MasterKey master;
    private final Clock clock;
    private final ClusterEvents events;
    /** Counts changes made here and announced by others: a snapshot read under an older count is read again. */
    private final AtomicLong changes = new AtomicLong();
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Snapshot snapshot;

    public SigningKeys(Jdbi jdbi, MasterKey master, Clock clock, ClusterEvents events) {
        this.jdbi = jdbi;
        this.master = master;
        this.clock = clock;
        this.events = events;
        events.subscribe("keys", ignored -> changes.incrementAndGet());
    }

    /** The private key that signs now for this algorithm; made on first use when the database has none. */
    public JWK current(String alg) {
        return signing(alg).key();
    }

    /** The key that signs now for this algorithm with its signer; made on first use when the database has none. */
    public Signing signing(String alg) {
        Signing signing = snapshot().signing().get(alg);
        return signing != null ? signing : firstKey(alg);
    }

    /** Every key not retired, including the next one before it signs (contract 4.1). */
    public JWKSet publicKeys() {
        return snapshot().published();
    }

    private Snapshot snapshot() {
        Instant now = clock.instant();
        Snapshot s = snapshot;
        if (usable(s, now)) return s;
        // Only old, with nothing known to have changed: one request reads again, the others go on with this one.
        boolean merelyOld = current(s, now);
        if (merelyOld && !reading.tryLock()) return s;
        if (!merelyOld) reading.lock();
        try {
            Snapshot latest = snapshot;
            if (usable(latest, now)) return latest;
            latest = read(now);
            snapshot = latest;
            return latest;
        } catch (RuntimeException e) {
            if (!merelyOld) throw e;
            LOG.warn("Signing keys could not be read again ({}); the ones in hand keep signing", e.getClass().getSimpleName());
            return s;
        } finally {
            reading.unlock();
        }
    }

    private boolean usable(Snapshot s, Instant now) {
        return current(s, now) && events.isFresh(s.stamp());
    }

    /** No change made here or announced since it was read, and no published key's time to sign has come. */
    private boolean current(Snapshot s, Instant now) {
        return s != null && s.version() == changes.get() && !now.isBefore(s.readAt())
                && (s.nextActivation() == null || now.isBefore(s.nextActivation()));
    }

    private Snapshot read(Instant now) {
        long version = changes.get();
        ClusterEvents.Stamp stamp = events.stamp(); // both before the read: a change after it makes the snapshot stale
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("SELECT alg, public_jwk, private_jwk_enc, active_from "
                        + "FROM signing_keys WHERE retired_at IS NULL ORDER BY active_from DESC, kid")
                .map((rs, ctx) -> new Row(rs.getString("alg"), rs.getString("public_jwk"), rs.getString("private_jwk_enc"),
                        rs.getObject("active_from", java.time.OffsetDateTime.class).toInstant()))
                .list());
        Map<String, Signing> signing = new java.util.HashMap<>();
        Instant next = null;
        for (Row r : rows) {
            if (r.activeFrom().isAfter(now)) {
                if (next == null || r.activeFrom().isBefore(next)) next = r.activeFrom();
            } else if (!signing.containsKey(r.alg())) {
                signing.put(r.alg(), Signing.of(parse(master.decrypt(r.privateJwkEnc())))); // the newest that signs already
            }
        }
        JWKSet published = new JWKSet(rows.stream().map(r -> parse(r.publicJwk())).toList());
        return new Snapshot(Map.copyOf(signing), published, now, next, stamp, version);
    }

    /** The database has no key for {@code alg} that signs now (a new database): one is made, to sign from now. */
    private Signing firstKey(String alg) {
        reading.lock(); // requests arriving together make one key, not one each
        try {
            Signing key = snapshot().signing().get(alg);
            if (key != null) return key;
            Instant now = clock.instant();
            changing(() -> create(alg, now));
            key = snapshot().signing().get(alg);
            if (key == null) throw new IllegalStateException("no " + alg + " signing key after making one");
            return key;
        } finally {
            reading.unlock();
        }
    }

    /** Runs a change that announces {@code keys} in its transaction; this node reads the keys again after it. */
    private <T> T changing(java.util.function.Supplier<T> change) {
        try {
            return events.announcing("keys", change);
        } finally {
            changes.incrementAndGet();
        }
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
        return changing(() -> ALGORITHMS.stream().map(alg -> create(alg, activeFrom)).toList());
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
            if (newest != null && !newest.isAfter(now) && newest.plus(period).isBefore(now)) {
                changing(() -> create(alg, now.plus(lead)));
            }
        }
        int retired = jdbi.inTransaction(h -> {
            int count = h.createUpdate("""
                            UPDATE signing_keys SET retired_at = :now
                            WHERE retired_at IS NULL AND EXISTS (
                                SELECT 1 FROM signing_keys newer WHERE newer.alg = signing_keys.alg
                                AND newer.active_from > signing_keys.active_from AND newer.active_from <= :cutoff)""")
                    .bind("now", now).bind("cutoff", now.minus(retention)).execute();
            if (count > 0) events.announce("keys"); // every node stops publishing them once this commits
            return count;
        });
        if (retired > 0) changes.incrementAndGet();
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
