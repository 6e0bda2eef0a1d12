package kz.freedomid.platform;

import java.util.regex.Pattern;

/**
 * The caller's address behind a load balancer: with {@code FREEDOM_ID_CLIENT_IP_HEADER} set, the address the proxy
 * wrote into that header (the right-most entry of a list, the one the last proxy saw), else the socket's. It is what
 * {@code ctx.ip()} returns everywhere (sessions, audit trail, sign-in audit), as the rate limits already did. A value
 * that is not an IP literal falls back to the socket address, so a header written by a client cannot put text of its
 * choosing into the sessions list or the audit trail.
 */
public final class ClientAddress {
    private static final Pattern IP_LITERAL = Pattern.compile("\\[?[0-9A-Fa-f:.]{2,45}]?");

    private ClientAddress() {}

    public static String resolve(String headerValue, String socketAddress) {
        if (headerValue == null) return socketAddress;
        String last = headerValue.substring(headerValue.lastIndexOf(',') + 1).strip();
        return IP_LITERAL.matcher(last).matches() ? last : socketAddress;
    }
}
