package kz.freedomid.platform;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import kz.freedomid.platform.ratelimit.RateLimitSettings;

/**
 * Server settings, read once from the environment. A bad value stops start-up with one line naming it.
 *
 * @param cacheMaxAge how long a node may use a cached partner record or signing key set while it listens for changes
 *                    on PostgreSQL (ClusterEvents); without listening the bound is one second
 */
public record Config(
        int port,
        String issuer,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Path dataDir,
        boolean dev,
        String smsSender,
        URI smsUrl,
        String masterKey,
        Duration keyRotation,
        Duration jobPolling,
        Lifetimes lifetimes,
        Duration auditRetention,
        String adminToken,
        RateLimitSettings rateLimits,
        boolean dpopNonceRequired,
        kz.freedomid.registration.RegistrationPolicy registration,
        Duration cacheMaxAge) {

    /** The same settings on another port (0 picks a free one): a second node on the same database, in tests. */
    public Config withPort(int otherPort) {
        return new Config(otherPort, issuer, dbUrl, dbUser, dbPassword, dataDir, dev, smsSender, smsUrl, masterKey,
                keyRotation, jobPolling, lifetimes, auditRetention, adminToken, rateLimits, dpopNonceRequired, registration,
                cacheMaxAge);
    }

    @Override
    public String toString() {
        return "Config[port=" + port + ", issuer=" + issuer + ", db=" + dbUrl + ", dev=" + dev + "]"; // no secrets
    }

    /** @param sessionIdle how long a browser session may go unused before it must sign in again */
    public record Lifetimes(Duration access, Duration refresh, Duration loginLink, Duration authCode,
                            Duration idToken, Duration session, Duration otp, Duration sessionIdle) {
        public static Lifetimes defaults() {
            return new Lifetimes(Duration.ofDays(7), Duration.ofDays(30), Duration.ofMinutes(15),
                    Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(30), Duration.ofMinutes(5), Duration.ofDays(7));
        }

        /**
         * A session's absolute lifetime. Ending a session revokes the partner tokens granted in it (contract 3.10), so
         * by default it matches the refresh token's 30 days rather than a working day.
         */
        public Lifetimes withSession(Duration sessionLifetime, Duration idle) {
            return new Lifetimes(access, refresh, loginLink, authCode, idToken, sessionLifetime, otp, idle);
        }
    }

    public static final class BadSettingException extends RuntimeException {
        public BadSettingException(String name, String problem) {
            super("Bad setting " + name + ": " + problem);
        }
    }

    /** The admin API (contract 6) is served only when an admin token is set; guessing one must be hopeless. */
    static final int MIN_ADMIN_TOKEN_LENGTH = 32;
    static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(90);

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        int port = intSetting(env, "FREEDOM_ID_PORT", 8080, 0, 65535);
        String issuer = env.getOrDefault("FREEDOM_ID_ISSUER", "http://localhost:" + (port == 0 ? 8080 : port));
        issuer = validIssuer(issuer);
        Path dataDir = Path.of(env.getOrDefault("FREEDOM_ID_DATA_DIR", "data")).toAbsolutePath().normalize();
        String dbUrl = env.get("FREEDOM_ID_DB_URL");
        if (dbUrl == null || dbUrl.isBlank()) {
            dbUrl = "jdbc:h2:file:" + dataDir.resolve("freedom-id") + ";AUTO_SERVER=TRUE";
        } else if (!dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            throw new BadSettingException("FREEDOM_ID_DB_URL", "expected a jdbc:postgresql:// or jdbc:h2: URL");
        }
        boolean dev = boolSetting(env, "FREEDOM_ID_DEV", true);
        String sms = env.getOrDefault("FREEDOM_ID_SMS_SENDER", dev ? "log" : "http").toLowerCase(Locale.ROOT);
        URI smsUrl = null;
        switch (sms) {
            case "log" -> {
                if (!dev) throw new BadSettingException("FREEDOM_ID_SMS_SENDER", "'log' is for development mode only; use 'http'");
            }
            case "http" -> {
                String raw = env.get("FREEDOM_ID_SMS_URL");
                if (raw == null || raw.isBlank()) {
                    throw new BadSettingException("FREEDOM_ID_SMS_URL", "required when the SMS sender is 'http'");
                }
                smsUrl = httpUri("FREEDOM_ID_SMS_URL", raw);
            }
            default -> throw new BadSettingException("FREEDOM_ID_SMS_SENDER", "expected 'log' or 'http', got '" + sms + "'");
        }
        String masterKey = env.get("FREEDOM_ID_MASTER_KEY");
        if (!dev && (masterKey == null || masterKey.isBlank())) {
            throw new BadSettingException("FREEDOM_ID_MASTER_KEY", "required when development mode is off "
                    + "(Base64 of 32 random bytes, e.g. head -c32 /dev/urandom | base64)");
        }
        return new Config(port, issuer, dbUrl, env.getOrDefault("FREEDOM_ID_DB_USER", dbUrl.startsWith("jdbc:h2:") ? "sa" : ""),
                env.getOrDefault("FREEDOM_ID_DB_PASSWORD", ""), dataDir, dev, sms, smsUrl, masterKey,
                Duration.ofDays(intSetting(env, "FREEDOM_ID_KEY_ROTATION_DAYS", 30, 1, 3650)),
                Duration.ofMillis(intSetting(env, "FREEDOM_ID_JOB_POLL_MS", 2000, 50, 600_000)),
                Lifetimes.defaults().withSession(Duration.ofHours(intSetting(env, "FREEDOM_ID_SESSION_HOURS", 720, 1, 8760)),
                        Duration.ofHours(intSetting(env, "FREEDOM_ID_SESSION_IDLE_HOURS", 168, 1, 8760))),
                auditRetention(env), adminToken(env), RateLimitSettings.from(env), dpopNonceRequired(env),
                kz.freedomid.registration.RegistrationPolicy.from(env, dev),
                Duration.ofSeconds(intSetting(env, "FREEDOM_ID_CACHE_MAX_AGE_SECONDS", 30, 1, 3600)));
    }

    /** FREEDOM_ID_DPOP_NONCE: {@code optional} (default; a nonce is offered and checked when sent) or {@code required}. */
    private static boolean dpopNonceRequired(Map<String, String> env) {
        String raw = env.get("FREEDOM_ID_DPOP_NONCE");
        if (raw == null || raw.isBlank()) return false;
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "required" -> true;
            case "optional" -> false;
            default -> throw new BadSettingException("FREEDOM_ID_DPOP_NONCE", "expected required or optional, got '" + raw + "'");
        };
    }

    public boolean adminApiEnabled() {
        return adminToken != null;
    }

    private static String adminToken(Map<String, String> env) {
        String raw = env.get("FREEDOM_ID_ADMIN_TOKEN");
        if (raw == null || raw.isBlank()) return null;
        String token = raw.strip();
        if (token.length() < MIN_ADMIN_TOKEN_LENGTH) {
            throw new BadSettingException("FREEDOM_ID_ADMIN_TOKEN", "must be at least " + MIN_ADMIN_TOKEN_LENGTH
                    + " characters (e.g. head -c32 /dev/urandom | base64)");
        }
        return token;
    }

    /** An ISO-8601 duration ({@code P90D}, {@code PT12H}) or a number of days; from one hour to ten years. */
    private static Duration auditRetention(Map<String, String> env) {
        String name = "FREEDOM_ID_AUDIT_RETENTION";
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return DEFAULT_AUDIT_RETENTION;
        String text = raw.strip();
        Duration retention;
        try {
            retention = text.chars().allMatch(Character::isDigit) ? Duration.ofDays(Long.parseLong(text))
                    : Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | ArithmeticException | java.time.format.DateTimeParseException e) {
            throw new BadSettingException(name, "expected an ISO-8601 duration such as P90D or a number of days, got '"
                    + raw + "'");
        }
        if (retention.compareTo(Duration.ofHours(1)) < 0 || retention.compareTo(Duration.ofDays(3650)) > 0) {
            throw new BadSettingException(name, "must be between one hour and 3650 days");
        }
        return retention;
    }

    public boolean https() {
        return issuer.startsWith("https://");
    }

    private static String validIssuer(String raw) {
        URI uri = httpUri("FREEDOM_ID_ISSUER", raw);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BadSettingException("FREEDOM_ID_ISSUER", "must not have a query or fragment");
        }
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    private static URI httpUri(String name, String raw) {
        try {
            URI uri = new URI(raw);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new BadSettingException(name, "expected an http:// or https:// URL, got '" + raw + "'");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new BadSettingException(name, "not a valid URL: '" + raw + "'");
        }
    }

    public static int intSetting(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) throw new BadSettingException(name, "must be between " + min + " and " + max);
            return value;
        } catch (NumberFormatException e) {
            throw new BadSettingException(name, "expected a number, got '" + raw + "'");
        }
    }

    private static boolean boolSetting(Map<String, String> env, String name, boolean fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return fallback;
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new BadSettingException(name, "expected true or false, got '" + raw + "'");
        };
    }
}
