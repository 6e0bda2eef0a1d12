package kz.freedomid.sdk;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import kz.freedomid.client.FreedomIdClient;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.TestServer;

/** Partners registered for the SDK tests, the SDK client for one, and a revoke-callback receiver. */
final class SdkTestSupport {
    static final String REDIRECT = "https://shop.example/callback";

    private SdkTestSupport() {}

    record Partner(String clientId, String secret) {}

    /** A partner allowed every grant; {@code profileKey} and {@code revokeUri} may be null. */
    static Partner partner(TestServer server, JWK profileKey, String revokeUri, String... permissions) {
        var settings = new ClientSettings(false, List.of(), null, Set.of(permissions), "RS256",
                profileKey == null ? null : profileKey.toPublicJWK().toJSONString());
        var registered = server.app.partners.register(
                new PartnerService.NewPartner("SDK Shop", List.of(REDIRECT), Grant.all(), revokeUri, settings));
        return new Partner(registered.partner().clientId().toString(), registered.clientSecret());
    }

    static FreedomIdClient client(TestServer server, Partner partner) {
        return FreedomIdClient.builder(URI.create(server.baseUrl), partner.clientId(), partner.secret())
                .requestTimeout(Duration.ofSeconds(20)).build();
    }

    static RSAKey profileKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.ENCRYPTION).algorithm(JWEAlgorithm.RSA_OAEP_256)
                    .keyID("sdk-profile").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ecProfileKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).algorithm(JWEAlgorithm.ECDH_ES_A256KW)
                    .keyID("sdk-profile-ec").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The path and query of a login link, for the test browser. */
    static String pathAndQuery(URI link) {
        return link.getRawPath() + "?" + link.getRawQuery();
    }

    /** A partner's revoke receiver on 127.0.0.1 that records each request and answers 204. */
    static final class Receiver implements AutoCloseable {
        record Received(String signature, byte[] body) {}

        final List<Received> requests = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                requests.add(new Received(exchange.getRequestHeaders().getFirst("Freedom-Signature"), body));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Polls (at most {@code seconds}), moving the server's clock along as a real one would, for the job poller. */
    static void await(TestServer server, String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            server.clock.advance(Duration.ofMillis(10));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
