package kz.freedomid.partner;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

public final class JdbiPartnerStore implements PartnerStore {
    private static final String COLUMNS =
            "client_id, name, secret_hash, redirect_uris, grants, revoke_uri, access_ttl_seconds, refresh_ttl_seconds, status, "
            + "created_at, public_client, post_logout_redirect_uris, backchannel_logout_uri, permissions, id_token_alg, profile_jwk";

    private final Jdbi jdbi;

    public JdbiPartnerStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(Partner p) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO partners (client_id, name, secret_hash, redirect_uris, grants, revoke_uri,
                            access_ttl_seconds, refresh_ttl_seconds, status, created_at, updated_at, public_client,
                            post_logout_redirect_uris, backchannel_logout_uri, permissions, id_token_alg, profile_jwk)
                        VALUES (:id, :name, :secret, :uris, :grants, :revokeUri, :accessTtl, :refreshTtl, :status, :now, :now,
                            :publicClient, :logoutUris, :backchannel, :permissions, :alg, :profileJwk)""")
                .bind("id", p.clientId())
                .bind("name", p.name())
                .bind("secret", p.secretHash())
                .bind("uris", String.join("\n", p.redirectUris()))
                .bind("grants", Grant.join(p.grants()))
                .bind("revokeUri", p.revokeUri())
                .bind("accessTtl", p.accessTtl() == null ? null : (Integer) (int) p.accessTtl().toSeconds())
                .bind("refreshTtl", p.refreshTtl() == null ? null : (Integer) (int) p.refreshTtl().toSeconds())
                .bind("status", p.active() ? "active" : "disabled")
                .bind("now", p.createdAt())
                .bind("publicClient", p.settings().publicClient())
                .bind("logoutUris", String.join("\n", p.settings().postLogoutRedirectUris()))
                .bind("backchannel", p.settings().backchannelLogoutUri())
                .bind("permissions", String.join(" ", new java.util.TreeSet<>(p.settings().permissions())))
                .bind("alg", p.settings().idTokenAlg())
                .bind("profileJwk", p.settings().profileJwk())
                .execute());
    }

    @Override
    public Optional<Partner> find(UUID clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM partners WHERE client_id = :id")
                .bind("id", clientId)
                .map(JdbiPartnerStore::map)
                .findOne());
    }

    @Override
    public List<Partner> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM partners ORDER BY created_at, client_id")
                .map(JdbiPartnerStore::map)
                .list());
    }

    @Override
    public boolean replaceSecret(UUID clientId, String secretHash, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE partners SET secret_hash = :secret, updated_at = :now WHERE client_id = :id")
                .bind("secret", secretHash)
                .bind("now", now)
                .bind("id", clientId)
                .execute()) == 1;
    }

    @Override
    public boolean setProfileJwk(UUID clientId, String profileJwk, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE partners SET profile_jwk = :jwk, updated_at = :now WHERE client_id = :id")
                .bind("jwk", profileJwk)
                .bind("now", now)
                .bind("id", clientId)
                .execute()) == 1;
    }

    private static Partner map(ResultSet rs, StatementContext ctx) throws SQLException {
        int access = rs.getInt("access_ttl_seconds");
        boolean accessNull = rs.wasNull();
        int refresh = rs.getInt("refresh_ttl_seconds");
        boolean refreshNull = rs.wasNull();
        return new Partner(
                rs.getObject("client_id", UUID.class),
                rs.getString("name"),
                rs.getString("secret_hash"),
                lines(rs.getString("redirect_uris")),
                Grant.split(rs.getString("grants")),
                rs.getString("revoke_uri"),
                accessNull ? null : Duration.ofSeconds(access),
                refreshNull ? null : Duration.ofSeconds(refresh),
                "active".equals(rs.getString("status")),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
                new ClientSettings(rs.getBoolean("public_client"), lines(rs.getString("post_logout_redirect_uris")),
                        rs.getString("backchannel_logout_uri"),
                        java.util.Set.copyOf(Arrays.stream(rs.getString("permissions").split(" ")).filter(s -> !s.isEmpty()).toList()),
                        rs.getString("id_token_alg"), rs.getString("profile_jwk")));
    }

    private static List<String> lines(String stored) {
        return stored == null ? List.of() : Arrays.stream(stored.split("\n")).filter(s -> !s.isEmpty()).toList();
    }
}
