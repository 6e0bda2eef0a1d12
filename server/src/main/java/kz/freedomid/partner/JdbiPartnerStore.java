package kz.freedomid.partner;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import kz.freedomid.platform.PageCursor;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

public final class JdbiPartnerStore implements PartnerStore {
    private static final String COLUMNS =
            "client_id, name, secret_hash, redirect_uris, grants, revoke_uri, access_ttl_seconds, refresh_ttl_seconds, status, "
            + "created_at, public_client, post_logout_redirect_uris, backchannel_logout_uri, permissions, id_token_alg, profile_jwk, require_par, jwks, jwks_uri, device_grant";

    private final Jdbi jdbi;

    public JdbiPartnerStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(Partner p) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO partners (client_id, name, secret_hash, redirect_uris, grants, revoke_uri,
                            access_ttl_seconds, refresh_ttl_seconds, status, created_at, updated_at, public_client,
                            post_logout_redirect_uris, backchannel_logout_uri, permissions, id_token_alg, profile_jwk, require_par, jwks, jwks_uri, device_grant)
                        VALUES (:id, :name, :secret, :uris, :grants, :revokeUri, :accessTtl, :refreshTtl, :status, :now, :now,
                            :publicClient, :logoutUris, :backchannel, :permissions, :alg, :profileJwk, :requirePar, :jwks, :jwksUri, :deviceGrant)""")
                .bind("id", p.clientId())
                .bind("name", p.name())
                .bind("secret", p.secretHash())
                .bind("uris", String.join("\n", p.redirectUris()))
                .bind("grants", Grant.join(p.grants()))
                .bind("revokeUri", p.revokeUri())
                .bind("accessTtl", seconds(p.accessTtl()))
                .bind("refreshTtl", seconds(p.refreshTtl()))
                .bind("status", p.active() ? "active" : "disabled")
                .bind("now", p.createdAt())
                .bind("publicClient", p.settings().publicClient())
                .bind("logoutUris", String.join("\n", p.settings().postLogoutRedirectUris()))
                .bind("backchannel", p.settings().backchannelLogoutUri())
                .bind("permissions", String.join(" ", new java.util.TreeSet<>(p.settings().permissions())))
                .bind("alg", p.settings().idTokenAlg())
                .bind("profileJwk", p.settings().profileJwk())
                .bind("requirePar", p.settings().requirePushedRequests()).bind("jwks", p.settings().jwks())
                .bind("jwksUri", p.settings().jwksUri())
                .bind("deviceGrant", p.settings().deviceGrant())
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
    public List<Partner> page(PageCursor after, int limit) {
        String keyset = after == null ? "" : " WHERE created_at > :time OR (created_at = :time AND client_id > :id)";
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT " + COLUMNS + " FROM partners" + keyset
                    + " ORDER BY created_at, client_id FETCH FIRST " + limit + " ROWS ONLY");
            if (after != null) query.bind("time", after.time()).bind("id", after.id());
            return query.map(JdbiPartnerStore::map).list();
        });
    }

    @Override
    public Optional<PartnerService.Updated> update(UUID clientId, UnaryOperator<Partner> change, Instant now) {
        return jdbi.inTransaction(h -> {
            Optional<Partner> before = h.createQuery("SELECT " + COLUMNS + " FROM partners WHERE client_id = :id FOR UPDATE")
                    .bind("id", clientId).map(JdbiPartnerStore::map).findOne();
            if (before.isEmpty()) return Optional.empty();
            Partner after = change.apply(before.get());
            h.createUpdate("""
                            UPDATE partners SET name = :name, redirect_uris = :uris, grants = :grants, revoke_uri = :revokeUri,
                                access_ttl_seconds = :accessTtl, refresh_ttl_seconds = :refreshTtl, status = :status,
                                updated_at = :now, post_logout_redirect_uris = :logoutUris,
                                backchannel_logout_uri = :backchannel, permissions = :permissions, id_token_alg = :alg,
                                profile_jwk = :profileJwk, require_par = :requirePar, jwks = :jwks, jwks_uri = :jwksUri,
                                device_grant = :deviceGrant
                            WHERE client_id = :id""")
                    .bind("id", clientId).bind("name", after.name()).bind("uris", String.join("\n", after.redirectUris()))
                    .bind("grants", Grant.join(after.grants())).bind("revokeUri", after.revokeUri())
                    .bind("accessTtl", seconds(after.accessTtl())).bind("refreshTtl", seconds(after.refreshTtl()))
                    .bind("status", after.active() ? "active" : "disabled").bind("now", now)
                    .bind("logoutUris", String.join("\n", after.settings().postLogoutRedirectUris()))
                    .bind("backchannel", after.settings().backchannelLogoutUri())
                    .bind("permissions", String.join(" ", new java.util.TreeSet<>(after.settings().permissions())))
                    .bind("alg", after.settings().idTokenAlg()).bind("profileJwk", after.settings().profileJwk())
                    .bind("requirePar", after.settings().requirePushedRequests()).bind("jwks", after.settings().jwks())
                    .bind("jwksUri", after.settings().jwksUri())
                    .bind("deviceGrant", after.settings().deviceGrant())
                    .execute();
            return Optional.of(new PartnerService.Updated(before.get(), after));
        });
    }

    private static Integer seconds(Duration ttl) {
        return ttl == null ? null : (int) ttl.toSeconds();
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

    @Override
    public boolean setPermissions(UUID clientId, java.util.Set<String> permissions, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE partners SET permissions = :permissions, updated_at = :now WHERE client_id = :id")
                .bind("permissions", String.join(" ", new java.util.TreeSet<>(permissions)))
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
                        rs.getString("id_token_alg"), rs.getString("profile_jwk"), rs.getBoolean("require_par"),
                        rs.getString("jwks"), rs.getString("jwks_uri"), rs.getBoolean("device_grant")));
    }

    private static List<String> lines(String stored) {
        return stored == null ? List.of() : Arrays.stream(stored.split("\n")).filter(s -> !s.isEmpty()).toList();
    }
}
