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
                        INSERT INTO login_tracks (id, client_id, redirect_uri, grants, state, created_at, expires_at)
                        VALUES (:id, :client, :redirect, :grants, :state, :created, :expires)""")
                .bind("id", t.id()).bind("client", t.clientId()).bind("redirect", t.redirectUri())
                .bind("grants", Grant.join(t.grants())).bind("state", t.state())
                .bind("created", t.createdAt()).bind("expires", t.expiresAt())
                .execute());
    }

    @Override
    public Optional<LoginTrack> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM login_tracks WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> {
                    OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
                    return new LoginTrack(rs.getObject("id", UUID.class), rs.getObject("client_id", UUID.class),
                            rs.getString("redirect_uri"), Grant.split(rs.getString("grants")), rs.getString("state"),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                            finished == null ? null : finished.toInstant());
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
