package kz.freedomid.demo.partner;

import java.net.URI;
import java.util.Map;

/**
 * Settings from the environment: {@code FREEDOM_ID_URL}, {@code DEMO_CLIENT_ID}, {@code DEMO_CLIENT_SECRET},
 * {@code DEMO_PROFILE_KEY} (a file with the private JWK), {@code DEMO_PORT} (default 9090).
 */
record DemoConfig(URI freedomIdUrl, String clientId, String clientSecret, String profileKeyFile, int port) {
    static DemoConfig from(Map<String, String> env) {
        return new DemoConfig(URI.create(env.getOrDefault("FREEDOM_ID_URL", "http://localhost:8080")),
                required(env, "DEMO_CLIENT_ID"), required(env, "DEMO_CLIENT_SECRET"), env.get("DEMO_PROFILE_KEY"),
                Integer.parseInt(env.getOrDefault("DEMO_PORT", "9090")));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " is not set");
        return value;
    }
}
