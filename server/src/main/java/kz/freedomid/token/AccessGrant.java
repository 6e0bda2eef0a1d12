package kz.freedomid.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.user.User;

/** A valid access token resolved to its pair and its user's current data. */
public record AccessGrant(UUID pairId, UUID clientId, Set<Grant> grants, Instant accessExpiresAt, User user) {}
