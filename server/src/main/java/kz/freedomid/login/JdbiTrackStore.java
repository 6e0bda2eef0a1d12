package kz.freedomid.login;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import org.jdbi.v3.core.Jdbi;

public final class JdbiTrackStore implements TrackStore {
    private final Jdbi jdbi;

    public JdbiTrackStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(LoginTrack t) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO login_tracks (id, client_id, redirect_uri, grants, state, created_at, expires_at, kind,
                            nonce, code_challenge, prompt, max_age, login_hint, dpop_jkt)
                        VALUES (:id, :client, :redirect, :grants, :state, :created, :expires, :kind,
                            :nonce, :challenge, :prompt, :maxAge, :loginHint, :jkt)""")
                .bind("id", t.id()).bind("client", t.clientId()).bind("redirect", t.redirectUri())
                .bind("grants", Grant.join(t.grants())).bind("state", t.state())
                .bind("created", t.createdAt()).bind("expires", t.expiresAt())
                .bind("kind", t.isOidc() ? "oidc" : t.isAccount() ? "account" : "partner")
                .bind("nonce", t.isOidc() ? t.oidc().nonce() : null)
                .bind("challenge", t.isOidc() ? t.oidc().codeChallenge() : null)
                .bind("prompt", t.isOidc() ? t.oidc().prompt() : null)
                .bind("maxAge", t.isOidc() ? t.oidc().maxAge() : null)
                .bind("loginHint", t.isOidc() ? t.oidc().loginHint() : null)
                .bind("jkt", t.isOidc() ? t.oidc().dpopJkt() : null)
                .execute());
    }

    @Override
    public Optional<LoginTrack> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM login_tracks WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> {
                    OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
                    int maxAge = rs.getInt("max_age");
                    boolean noMaxAge = rs.wasNull();
                    LoginTrack.OidcRequest oidc = "oidc".equals(rs.getString("kind"))
                            ? new LoginTrack.OidcRequest(rs.getString("nonce"), rs.getString("code_challenge"),
                                    rs.getString("prompt"), noMaxAge ? null : maxAge, rs.getString("login_hint"),
                                    rs.getString("dpop_jkt"))
                            : null;
                    return new LoginTrack(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class),
                            rs.getString("redirect_uri"), Grant.split(rs.getString("grants")), rs.getString("state"),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                            finished == null ? null : finished.toInstant(), oidc);
                })
                .findOne());
    }

    @Override
    public boolean finish(UUID id, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE login_tracks SET finished_at = :now WHERE id = :id AND finished_at IS NULL")
                .bind("now", now).bind("id", id).execute()) == 1;
    }
}
