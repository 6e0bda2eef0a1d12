package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * private_key_jwt with keys at a jwks_uri (RFC 7591 §2): a real local HTTP server publishes the client's JWK set; the
 * server fetches it within bounds, caches it, and fetches it again (rate-limited) when a new kid shows up.
 */
class OidcJwksUriTest {
    static TestServer server;
    static HttpServer keyHost;
    static String hostBase;
    /** What each path of the key host answers: a status and a body, or a redirect. */
    record Answer(int status, String body, String location) {}
    static final Map<String, Answer> answers = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        keyHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keyHost.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.getOrDefault(path, new Answer(404, "{}", null));
            if (answer.location() != null) exchange.getResponseHeaders().add("Location", answer.location());
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keyHost.start();
        hostBase = "http://127.0.0.1:" + keyHost.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        keyHost.stop(0);
        server.close();
    }

    static ECKey key(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static void publish(String path, ECKey... keys) {
        List<com.nimbusds.jose.jwk.JWK> pub = java.util.Arrays.stream(keys).map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList();
        answers.put(path, new Answer(200, new JWKSet(pub).toString(true), null));
    }

    /** A client registered through the registration endpoint with private_key_jwt and a jwks_uri on the key host. */
    static String client(String path) {
        return clientAt(hostBase + path);
    }

    static String clientAt(String jwksUri) {
        String token = server.app.registrationTokens.create(Duration.ofHours(1), 1, null, "test").token();
        Http.Response response = server.http().json("POST", "/api/v1/oidc/register", Http.bearer(token), Map.of(
                "redirect_uris", List.of(CALLBACK), "token_endpoint_auth_method", "private_key_jwt",
                "jwks_uri", jwksUri, "scope", "openid read.firstname read.phone"));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("jwks_uri").asText()).isEqualTo(jwksUri);
        return response.json().path("client_id").asText();
    }

    static String assertion(String clientId, ECKey key) {
        Instant now = server.clock.instant();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(server.app.config.issuer())
                            .jwtID(UUID.randomUUID().toString()).expirationTime(Date.from(now.plusSeconds(60))).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static int introspect(String clientId, ECKey key) {
        return postForm(server, "/api/v1/oidc/introspect", null, Map.of("token", "nope",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(clientId, key))).status();
    }

    static int hitsOf(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    @Test
    void keysAtTheJwksUriAuthenticateTheClientAndAreCachedUntilTheTtl() {
        ECKey k1 = key("k1");
        publish("/cached", k1);
        String clientId = client("/cached");

        assertThat(introspect(clientId, k1)).isEqualTo(200);
        assertThat(introspect(clientId, k1)).isEqualTo(200);
        assertThat(hitsOf("/cached")).isEqualTo(1);
        assertThat(introspect(clientId, key("k1"))).as("a stranger's key with the same kid").isEqualTo(401);

        server.clock.advance(RemoteJwks.TTL.plusSeconds(1));
        try {
            assertThat(introspect(clientId, k1)).isEqualTo(200);
            assertThat(hitsOf("/cached")).isEqualTo(2);
        } finally {
            server.clock.advance(RemoteJwks.TTL.plusSeconds(1).negated());
        }
    }

    @Test
    void anUnknownKidFetchesTheSetAgainAtMostOnceIn30SecondsSoRotationWorks() {
        ECKey k1 = key("k1");
        ECKey k2 = key("k2");
        publish("/rotating", k1);
        String clientId = client("/rotating");
        assertThat(introspect(clientId, k1)).isEqualTo(200);
        publish("/rotating", k2); // the client rotates: the old key is gone

        assertThat(introspect(clientId, k2)).as("refetch refused so soon after the fetch").isEqualTo(401);
        assertThat(hitsOf("/rotating")).isEqualTo(1);
        server.clock.advance(RemoteJwks.MIN_REFETCH.plusSeconds(1));
        try {
            assertThat(introspect(clientId, k2)).isEqualTo(200);
            assertThat(hitsOf("/rotating")).isEqualTo(2);
            assertThat(introspect(clientId, k1)).as("the retired key").isEqualTo(401);
            assertThat(introspect(clientId, key("k3"))).as("made-up kids do not make it fetch again").isEqualTo(401);
            assertThat(hitsOf("/rotating")).isEqualTo(2);
        } finally {
            server.clock.advance(RemoteJwks.MIN_REFETCH.plusSeconds(1).negated());
        }
    }

    @Test
    void redirectsOversizedBodiesPrivateKeysErrorsAndADeadHostAreInvalidClientNeverA500() {
        ECKey k1 = key("k1");
        publish("/target", k1);
        answers.put("/redirect", new Answer(302, "", hostBase + "/target"));
        answers.put("/huge", new Answer(200, "{\"keys\":[],\"pad\":\"" + "x".repeat(RemoteJwks.MAX_BYTES) + "\"}", null));
        answers.put("/private", new Answer(200, new JWKSet(k1).toString(false), null));
        answers.put("/error", new Answer(500, "{}", null));
        answers.put("/not-json", new Answer(200, "<html>", null));

        for (String path : List.of("/redirect", "/huge", "/private", "/error", "/not-json")) {
            assertThat(introspect(client(path), k1)).as(path).isEqualTo(401);
        }
        assertThat(hitsOf("/target")).as("redirect not followed").isZero();
        assertThat(introspect(clientAt("http://127.0.0.1:1/jwks"), k1)).as("nothing listening").isEqualTo(401);
    }

    @Test
    void onlyHttpsOrInDevelopmentLoopbackHttpIsFetched() {
        assertThat(RemoteJwks.acceptable("https://rp.example/jwks", false)).isTrue();
        assertThat(RemoteJwks.acceptable("http://127.0.0.1:8080/jwks", true)).isTrue();
        assertThat(RemoteJwks.acceptable("http://[::1]:8080/jwks", true)).isTrue();
        assertThat(RemoteJwks.acceptable("http://127.0.0.1:8080/jwks", false)).isFalse();
        assertThat(RemoteJwks.acceptable("http://rp.example/jwks", true)).isFalse();
        assertThat(RemoteJwks.acceptable("http://localhost.rp.example/jwks", true)).isFalse();
        assertThat(RemoteJwks.acceptable("https://user:pw@rp.example/jwks", false)).isFalse();
        assertThat(RemoteJwks.acceptable("file:///etc/passwd", true)).isFalse();
    }
}
