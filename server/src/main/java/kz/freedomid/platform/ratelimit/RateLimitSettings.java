package kz.freedomid.platform.ratelimit;

import java.time.Duration;
import java.util.Map;
import kz.freedomid.platform.Config;

/**
 * How much each kind of caller may do, from FREEDOM_ID_RATE_* settings. A rate of 0 turns that limit off.
 *
 * @param otpPerIp         SMS codes one IP address may ask for
 * @param signInPerIp      code and password attempts from one IP address
 * @param clientCalls      calls of one client credential to the token, authorize, introspect and revoke endpoints
 * @param clientCallsPerIp calls from one IP address to those endpoints
 * @param clientIpHeader   a header set by a trusted reverse proxy that carries the caller's address (null: the socket's)
 */
public record RateLimitSettings(Rate otpPerIp, Rate signInPerIp, Rate clientCalls, Rate clientCallsPerIp,
                                String clientIpHeader) {

    /** A token bucket: {@code capacity} at once, refilled by {@code refill} tokens spread over each {@code period}. */
    public record Rate(long capacity, long refill, Duration period) {
        public static Rate per(long tokens, Duration period) {
            return new Rate(tokens, tokens, period);
        }

        public boolean off() {
            return capacity <= 0 || refill <= 0;
        }

        /** How long an emptied bucket takes to fill up again. */
        public Duration refillTime() {
            return off() ? Duration.ZERO : period.multipliedBy(capacity).dividedBy(refill);
        }
    }

    public static RateLimitSettings defaults() {
        return from(Map.of());
    }

    public static RateLimitSettings from(Map<String, String> env) {
        int max = 1_000_000;
        String header = env.get("FREEDOM_ID_CLIENT_IP_HEADER");
        int clientPerSecond = Config.intSetting(env, "FREEDOM_ID_RATE_CLIENT_PER_SECOND", 50, 0, max);
        int clientIpPerSecond = Config.intSetting(env, "FREEDOM_ID_RATE_CLIENT_IP_PER_SECOND", 100, 0, max);
        return new RateLimitSettings(
                Rate.per(Config.intSetting(env, "FREEDOM_ID_RATE_OTP_PER_IP_HOUR", 30, 0, max), Duration.ofHours(1)),
                Rate.per(Config.intSetting(env, "FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", 30, 0, max), Duration.ofMinutes(10)),
                new Rate(Config.intSetting(env, "FREEDOM_ID_RATE_CLIENT_BURST", 2 * clientPerSecond, 0, max), clientPerSecond,
                        Duration.ofSeconds(1)),
                new Rate(Config.intSetting(env, "FREEDOM_ID_RATE_CLIENT_IP_BURST", 2 * clientIpPerSecond, 0, max),
                        clientIpPerSecond, Duration.ofSeconds(1)),
                header == null || header.isBlank() ? null : header.strip());
    }
}
