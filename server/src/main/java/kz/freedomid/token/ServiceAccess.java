package kz.freedomid.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A live service token (client_credentials, contract 4.3): no user. {@code permissions} are those the token was issued
 * with that the partner still holds, so withdrawing a permission takes effect at once.
 */
public record ServiceAccess(UUID pairId, UUID clientId, Set<String> permissions, Instant accessExpiresAt, String dpopJkt)
        implements Access {
    public ServiceAccess {
        permissions = Set.copyOf(permissions);
    }

    public boolean may(String permission) {
        return permissions.contains(permission);
    }
}
