package kz.freedomid.client;

import java.net.URI;
import java.time.Instant;

/** A single-use login link (contract 3.1): send the user's browser to {@link #url()}. */
public record AuthorizationLink(URI url, Instant expiresAt) {}
