package kz.freedomid.token;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import kz.freedomid.audit.AuditEvent;
import kz.freedomid.audit.JdbiAuditStore;
import kz.freedomid.partner.Grant;
import kz.freedomid.user.JdbiUserStore;
import kz.freedomid.user.UserExtras;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

public final class JdbiTokenStore implements TokenStore {
    private static final String PAIR_COLUMNS = "id, grant_id, client_id, user_id, session_id, grants, access_hash, "
            + "refresh_hash, access_expires_at, refresh_expires_at, revoke_uri, auth_time, amr, created_at, nonce, permissions, dpop_jkt";

    private final Jdbi jdbi;

    public JdbiTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insertCode(AuthCode c) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO auth_codes (code_hash, client_id, user_id, session_id, grants, redirect_uri, auth_time,
                            amr, grant_id, created_at, expires_at, nonce, code_challenge, dpop_jkt)
                        VALUES (:hash, :client, :user, :session, :grants, :redirect, :authTime, :amr, :grant, :created, :expires,
                            :nonce, :challenge, :jkt)""")
                .bind("hash", c.codeHash()).bind("client", c.clientId()).bind("user", c.userId())
                .bind("session", c.sessionId()).bind("grants", Grant.join(c.grants()))
                .bind("redirect", c.redirectUri()).bind("authTime", c.authTime()).bind("amr", c.amr())
                .bind("grant", c.grantId()).bind("created", c.createdAt()).bind("expires", c.expiresAt())
                .bind("nonce", c.nonce()).bind("challenge", c.codeChallenge()).bind("jkt", c.dpopJkt())
                .execute());
    }

    @Override
    public TokenOutcome exchangeCode(String codeHash, Instant now, Function<AuthCode, TokenOutcome.Reason> check,
                                     Function<AuthCode, Minted> mint) {
        return jdbi.inTransaction(h -> {
            Optional<AuthCode> found = h.createQuery("SELECT * FROM auth_codes WHERE code_hash = :hash")
                    .bind("hash", codeHash).map(JdbiTokenStore::mapCode).findOne();
            if (found.isEmpty()) return rejected(TokenOutcome.Reason.UNKNOWN);
            AuthCode code = found.get();
            TokenOutcome.Reason refused = check.apply(code);
            if (refused != null) return rejected(refused);
            if (code.usedAt() != null) return codeReused(h, code, now);
            if (!code.expiresAt().isAfter(now)) return rejected(TokenOutcome.Reason.EXPIRED);
            int consumed = h.createUpdate("UPDATE auth_codes SET used_at = :now WHERE code_hash = :hash AND used_at IS NULL")
                    .bind("now", now).bind("hash", codeHash).execute();
            if (consumed != 1) return codeReused(h, code, now); // lost a race with another exchange of this code
            return store(h, mint.apply(code));
        });
    }

    @Override
    public TokenOutcome rotateRefresh(String refreshHash, Instant now, Function<TokenPair, TokenOutcome.Reason> check,
                                      java.util.function.BiFunction<TokenPair, PartnerLifetimes, Minted> mint) {
        return jdbi.inTransaction(h -> {
            var row = h.createQuery("""
                            SELECT t.*, t.rotated_at AS t_rotated, t.revoked_at AS t_revoked, u.status AS user_status,
                                   p.status AS partner_status, p.access_ttl_seconds AS p_access, p.refresh_ttl_seconds AS p_refresh
                            FROM token_pairs t
                            JOIN partners p ON p.client_id = t.client_id
                            LEFT JOIN users u ON u.id = t.user_id
                            WHERE t.refresh_hash = :hash""")
                    .bind("hash", refreshHash)
                    .map((rs, ctx) -> new RefreshRow(mapPair(rs, ctx), instant(rs, "t_rotated"), instant(rs, "t_revoked"),
                            "active".equals(rs.getString("partner_status"))
                                    && (rs.getString("user_status") == null || "active".equals(rs.getString("user_status"))),
                            new PartnerLifetimes(seconds(rs, "p_access"), seconds(rs, "p_refresh"))))
                    .findOne();
            if (row.isEmpty()) return rejected(TokenOutcome.Reason.UNKNOWN);
            TokenPair pair = row.get().pair();
            TokenOutcome.Reason refused = check.apply(pair);
            if (refused != null) return rejected(refused);
            // RFC 9700 §4.14.2: a rotated refresh token used again means it leaked; revoke the grant.
            if (row.get().rotatedAt() != null) return refreshReused(h, pair, now);
            if (row.get().revokedAt() != null || !row.get().allowed()) return rejected(TokenOutcome.Reason.REVOKED);
            if (!pair.refreshExpiresAt().isAfter(now)) return rejected(TokenOutcome.Reason.EXPIRED);
            int rotated = h.createUpdate("""
                            UPDATE token_pairs SET rotated_at = :now, revoked_at = :now, revoke_reason = 'rotated'
                            WHERE id = :id AND rotated_at IS NULL AND revoked_at IS NULL""")
                    .bind("now", now).bind("id", pair.id()).execute();
            if (rotated != 1) return refreshReused(h, pair, now); // a concurrent refresh of the same token
            return store(h, mint.apply(pair, row.get().lifetimes()));
        });
    }

    /**
     * One round trip: the pair, its partner's current permissions, the user's row (none for a service token), and the
     * additional phones, emails and cards only when the pair's grants release them (each a CASE on the stored grants).
     */
    private static final String FIND_ACCESS = "SELECT t.id AS pair_id, t.client_id AS pair_client_id, "
            + "t.user_id AS pair_user_id, t.grants AS pair_grants, t.permissions AS pair_permissions, "
            + "p.permissions AS partner_permissions, t.access_expires_at AS pair_expires, t.dpop_jkt AS pair_jkt, u.*, "
            + whenGranted(Grant.READ_PHONES, JdbiUserStore.phonesOf("t.user_id")) + " AS extra_phones, "
            + whenGranted(Grant.READ_EMAILS, JdbiUserStore.emailsOf("t.user_id")) + " AS extra_emails, "
            + whenGranted(Grant.READ_CARDS, JdbiUserStore.cardsOf("t.user_id")) + " AS extra_cards "
            + "FROM token_pairs t "
            + "JOIN partners p ON p.client_id = t.client_id "
            + "LEFT JOIN users u ON u.id = t.user_id "
            + "WHERE t.access_hash = :hash AND t.revoked_at IS NULL AND t.access_expires_at > :now "
            + "AND p.status = 'active' AND (t.user_id IS NULL OR u.status = 'active')";

    private static String whenGranted(Grant grant, String subquery) {
        // grants are stored space-separated; the padding keeps read.phone from matching read.phones
        return "CASE WHEN ' ' || t.grants || ' ' LIKE '% " + grant.wireName() + " %' THEN " + subquery + " END";
    }

    @Override
    public Optional<Access> findAccess(String accessHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery(FIND_ACCESS)
                .bind("hash", accessHash)
                .bind("now", now)
                .map((rs, ctx) -> rs.getObject("pair_user_id", UUID.class) == null ? serviceAccess(rs) : userAccess(rs, ctx))
                .findOne());
    }

    private static Access serviceAccess(ResultSet rs) throws SQLException {
        java.util.Set<String> held = new java.util.HashSet<>(permissions(rs.getString("pair_permissions")));
        held.retainAll(permissions(rs.getString("partner_permissions")));
        return new ServiceAccess(rs.getObject("pair_id", UUID.class), rs.getObject("pair_client_id", UUID.class), held,
                instant(rs, "pair_expires"), rs.getString("pair_jkt"));
    }

    private static Access userAccess(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AccessGrant(rs.getObject("pair_id", UUID.class), rs.getObject("pair_client_id", UUID.class),
                Grant.split(rs.getString("pair_grants")), instant(rs, "pair_expires"), JdbiUserStore.map(rs, ctx),
                new UserExtras(JdbiUserStore.strings(rs, "extra_phones"), JdbiUserStore.strings(rs, "extra_emails"),
                        JdbiUserStore.cards(rs, "extra_cards")), rs.getString("pair_jkt"));
    }

    @Override
    public int revokeGrant(UUID grantId, Instant now, String reason) {
        return jdbi.withHandle(h -> revokeGrant(h, grantId, now, reason));
    }

    private static int revokeGrant(Handle h, UUID grantId, Instant now, String reason) {
        return h.createUpdate("UPDATE token_pairs SET revoked_at = :now, revoke_reason = :reason "
                        + "WHERE grant_id = :grant AND revoked_at IS NULL")
                .bind("now", now).bind("reason", reason).bind("grant", grantId).execute();
    }

    private static void insertPair(Handle h, TokenPair p) {
        h.createUpdate("INSERT INTO token_pairs (" + PAIR_COLUMNS + ") VALUES (:id, :grant, :client, :user, :session, "
                        + ":grants, :access, :refresh, :accessExp, :refreshExp, :revokeUri, :authTime, :amr, :created, :nonce, :permissions, :jkt)")
                .bind("id", p.id()).bind("grant", p.grantId()).bind("client", p.clientId()).bind("user", p.userId())
                .bind("session", p.sessionId())
                .bind("grants", p.grants().isEmpty() ? "" : Grant.join(p.grants())) // a service token has none
                .bind("access", p.accessHash()).bind("refresh", p.refreshHash())
                .bind("accessExp", p.accessExpiresAt()).bind("refreshExp", p.refreshExpiresAt())
                .bind("revokeUri", p.revokeUri()).bind("authTime", p.authTime()).bind("amr", p.amr())
                .bind("created", p.createdAt()).bind("nonce", p.nonce())
                .bind("permissions", String.join(" ", new java.util.TreeSet<>(p.permissions()))).bind("jkt", p.dpopJkt())
                .execute();
    }

    @Override
    public void insertServiceToken(TokenPair pair, AuditEvent audit) {
        jdbi.useTransaction(h -> {
            insertPair(h, pair);
            JdbiAuditStore.append(h, audit);
        });
    }

    private static TokenOutcome store(Handle h, Minted minted) {
        insertPair(h, minted.tokens().pair());
        JdbiAuditStore.append(h, minted.audit());
        return new TokenOutcome.Issued(minted.tokens());
    }

    private static TokenOutcome codeReused(Handle h, AuthCode code, Instant now) {
        int revoked = revokeGrant(h, code.grantId(), now, "code_reuse");
        return new TokenOutcome.Rejected(TokenOutcome.Reason.REUSED,
                new TokenOutcome.RevokedGrant(code.grantId(), code.clientId(), code.userId(), revoked));
    }

    private static TokenOutcome refreshReused(Handle h, TokenPair pair, Instant now) {
        int revoked = revokeGrant(h, pair.grantId(), now, "refresh_reuse");
        return new TokenOutcome.Rejected(TokenOutcome.Reason.REUSED,
                new TokenOutcome.RevokedGrant(pair.grantId(), pair.clientId(), pair.userId(), revoked));
    }

    @Override
    public Optional<Found> findByToken(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT t.*, t.revoked_at AS t_revoked, u.status AS user_status, p.status AS partner_status
                        FROM token_pairs t
                        JOIN partners p ON p.client_id = t.client_id
                        LEFT JOIN users u ON u.id = t.user_id
                        WHERE t.access_hash = :hash OR t.refresh_hash = :hash""")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new Found(mapPair(rs, ctx), tokenHash.equals(rs.getString("refresh_hash")),
                        instant(rs, "t_revoked") == null && "active".equals(rs.getString("partner_status"))
                                && (rs.getString("user_status") == null || "active".equals(rs.getString("user_status")))))
                .findFirst());
    }

    @Override
    public boolean revokePair(UUID pairId, Instant now, String reason) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE token_pairs SET revoked_at = :now, revoke_reason = :reason WHERE id = :id AND revoked_at IS NULL")
                .bind("now", now).bind("reason", reason).bind("id", pairId).execute()) == 1;
    }

    @Override
    public SessionRevocation revokeSession(UUID sessionId, Instant now, String reason) {
        return jdbi.inTransaction(h -> {
            java.util.Set<UUID> clients = new java.util.LinkedHashSet<>(h.createQuery(
                            "SELECT DISTINCT client_id FROM token_pairs WHERE session_id = :session")
                    .bind("session", sessionId).mapTo(UUID.class).list());
            List<RevokedPair> live = h.createQuery(
                            "SELECT id, client_id, revoke_uri FROM token_pairs WHERE session_id = :session AND revoked_at IS NULL")
                    .bind("session", sessionId)
                    .map(JdbiTokenStore::mapRevoked)
                    .list();
            return new SessionRevocation(revokeEach(h, live, now, reason), java.util.Set.copyOf(clients));
        });
    }

    @Override
    public List<RevokedPair> revokeUserAtPartner(UUID userId, UUID clientId, Instant now, String reason) {
        return jdbi.inTransaction(h -> {
            List<RevokedPair> live = h.createQuery("SELECT id, client_id, revoke_uri FROM token_pairs WHERE user_id = :user"
                            + (clientId == null ? "" : " AND client_id = :client") + " AND revoked_at IS NULL")
                    .bind("user", userId).bind("client", clientId)
                    .map(JdbiTokenStore::mapRevoked)
                    .list();
            return revokeEach(h, live, now, reason);
        });
    }

    /**
     * Revokes each pair with its own conditional update and returns those this call revoked: a concurrent logout or
     * rotation that got to a pair first keeps its own callback.
     */
    private static List<RevokedPair> revokeEach(Handle h, List<RevokedPair> live, Instant now, String reason) {
        List<RevokedPair> revoked = new java.util.ArrayList<>();
        for (RevokedPair pair : live) {
            int changed = h.createUpdate("UPDATE token_pairs SET revoked_at = :now, revoke_reason = :reason "
                            + "WHERE id = :id AND revoked_at IS NULL")
                    .bind("now", now).bind("reason", reason).bind("id", pair.id()).execute();
            if (changed == 1) revoked.add(pair);
        }
        return List.copyOf(revoked);
    }

    private static RevokedPair mapRevoked(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RevokedPair(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class), rs.getString("revoke_uri"));
    }

    private record RefreshRow(TokenPair pair, Instant rotatedAt, Instant revokedAt, boolean allowed,
                              PartnerLifetimes lifetimes) {}

    private static java.time.Duration seconds(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : java.time.Duration.ofSeconds(value);
    }

    private static TokenOutcome rejected(TokenOutcome.Reason reason) {
        return new TokenOutcome.Rejected(reason);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static AuthCode mapCode(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AuthCode(rs.getString("code_hash"), rs.getObject("client_id", UUID.class),
                rs.getObject("user_id", UUID.class), rs.getObject("session_id", UUID.class),
                Grant.split(rs.getString("grants")), rs.getString("redirect_uri"), instant(rs, "auth_time"),
                rs.getString("amr"), rs.getObject("grant_id", UUID.class), instant(rs, "created_at"),
                instant(rs, "expires_at"), instant(rs, "used_at"), rs.getString("nonce"), rs.getString("code_challenge"),
                rs.getString("dpop_jkt"));
    }

    private static TokenPair mapPair(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TokenPair(rs.getObject("id", UUID.class), rs.getObject("grant_id", UUID.class),
                rs.getObject("client_id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getObject("session_id", UUID.class), Grant.split(rs.getString("grants")),
                rs.getString("access_hash"), rs.getString("refresh_hash"), instant(rs, "access_expires_at"),
                instant(rs, "refresh_expires_at"), rs.getString("revoke_uri"), instant(rs, "auth_time"),
                rs.getString("amr"), instant(rs, "created_at"), rs.getString("nonce"), permissions(rs.getString("permissions")),
                rs.getString("dpop_jkt"));
    }

    static java.util.Set<String> permissions(String stored) {
        return stored == null || stored.isBlank() ? java.util.Set.of() : java.util.Set.of(stored.trim().split(" "));
    }
}
