package kz.freedomid.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.user.User;
import kz.freedomid.user.UserExtras;

/**
 * A live user access token resolved to its pair and its user's current data. {@code extras} holds the additional
 * phones, emails and cards only when {@code grants} release them; the other lists are empty.
 */
public record AccessGrant(UUID pairId, UUID clientId, Set<Grant> grants, Instant accessExpiresAt, User user,
                          UserExtras extras, String dpopJkt) implements Access {}
