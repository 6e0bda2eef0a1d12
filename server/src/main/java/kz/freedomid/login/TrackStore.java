package kz.freedomid.login;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

public interface TrackStore {
    void insert(LoginTrack track);

    Optional<LoginTrack> find(UUID id);

    /** Marks the track finished; false when it already was (single use, decided by a conditional update). */
    boolean finish(UUID id, Instant now);
}
