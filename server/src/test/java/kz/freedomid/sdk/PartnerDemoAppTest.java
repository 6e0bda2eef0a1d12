package kz.freedomid.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.demo.partner.PartnerDemo;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/partner-demo driven over HTTP against a real server: sign in, user data, profile, revoke → signed out. */
class PartnerDemoAppTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void demoSignsInShowsProfileAndSignsOutWhenFreedomIdRevokes() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String demoUrl = "http://localhost:" + port;
        RSAKey key = new RSAKeyGenerator(2048).algorithm(JWEAlgorithm.RSA_OAEP_256).keyID("demo").generate();
        Path keyFile = Files.createTempFile("demo-key", ".json");
        Files.writeString(keyFile, key.toJSONString());
        var settings = new ClientSettings(false, List.of(), null, Set.of(), "RS256", key.toPublicJWK().toJSONString());
        var registered = server.app.partners.register(new PartnerService.NewPartner("Demo shop",
                List.of(demoUrl + "/callback"), Grant.all(), demoUrl + "/revoke", settings));

        try (PartnerDemo demo = PartnerDemo.start(Map.of("FREEDOM_ID_URL", server.baseUrl,
                "DEMO_CLIENT_ID", registered.partner().clientId().toString(), "DEMO_CLIENT_SECRET", registered.clientSecret(),
                "DEMO_PROFILE_KEY", keyFile.toString(), "DEMO_PORT", String.valueOf(port)));
             HttpClient shopper = HttpClient.newBuilder().cookieHandler(new CookieManager())
                     .followRedirects(HttpClient.Redirect.NEVER).build()) {
            assertThat(get(shopper, demoUrl + "/").body()).contains("Sign in with Freedom ID").contains("fid-button");

            HttpResponse<String> toFreedom = get(shopper, demoUrl + "/login");
            assertThat(toFreedom.statusCode()).isEqualTo(303);
            URI link = URI.create(toFreedom.headers().firstValue("Location").orElseThrow());
            assertThat(link.toString()).startsWith(server.baseUrl + "/login?track_id=");

            Browser browser = server.browser();
            String back = Flows.approvedRedirect(server, browser, SdkTestSupport.pathAndQuery(link), Flows.newPhone());
            assertThat(back).startsWith(demoUrl + "/callback?");
            assertThat(get(shopper, back).statusCode()).isEqualTo(303);
            String home = get(shopper, demoUrl + "/").body();
            assertThat(home).contains("id=\"signed-in\"").contains("Dana");

            assertThat(post(shopper, demoUrl + "/profile").statusCode()).isEqualTo(303);
            assertThat(get(shopper, demoUrl + "/").body()).contains("id=\"profile\"").contains("&quot;phone_verified&quot; : true");

            Browser.Page account = browser.get("/account");
            assertThat(browser.submit(account, "/account/logout", Map.of()).status()).isEqualTo(200);
            SdkTestSupport.await(server, "the demo signs the user out", 20,
                    () -> !get(shopper, demoUrl + "/").body().contains("id=\"signed-in\""));
            assertThat(get(shopper, demoUrl + "/").body()).contains("Sign in with Freedom ID");
        }
    }

    @Test
    void forgedRevokeCallbackIsRefused() throws Exception {
        var registered = server.app.partners.register(new PartnerService.NewPartner("Demo shop 2",
                List.of("http://localhost:1/callback"), Grant.all(), null, new ClientSettings(false, List.of(), null, Set.of(), "RS256")));
        try (PartnerDemo demo = PartnerDemo.start(Map.of("FREEDOM_ID_URL", server.baseUrl,
                "DEMO_CLIENT_ID", registered.partner().clientId().toString(), "DEMO_CLIENT_SECRET", registered.clientSecret(),
                "DEMO_PORT", "0"));
             HttpClient http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + demo.port() + "/revoke"))
                    .header("Freedom-Signature", "eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vcGUifQ..c2ln")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
