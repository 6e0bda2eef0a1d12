package kz.freedomid.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * U+0000 in any parameter (found by ApiFuzzTest: PostgreSQL refuses it in text, which was a 500) is malformed input:
 * 400 in the format of the endpoint, and nothing is stored.
 */
class NulCharacterTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aNulInAPartnerApiBodyIs100008AndCreatesNoLoginLink() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME);
        long tracks = server.count("SELECT COUNT(*) FROM login_tracks");
        Http.Response response = server.http().send("POST", "/api/v1/oauth/authorize", partner.basic(), "application/json",
                ("{\"redirect_uri\":\"" + partner.redirectUri() + "\",\"grants\":[\"read.firstname\"],\"state\":\"a\\u0000b\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").get("code").asInt()).isEqualTo(100008);
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks")).isEqualTo(tracks);
    }

    @Test
    void aNulInAnOidcQueryOrFormIsRefused() {
        var partner = Flows.partner(server, Grant.OPENID);
        Http.Response authorize = server.http().get("/openid?response_type=code&client_id=" + partner.clientId()
                + "&scope=openid&state=a%00b&redirect_uri=" + java.net.URLEncoder.encode(partner.redirectUri(), StandardCharsets.UTF_8), null);
        assertThat(authorize.status()).isEqualTo(400);
        Http.Response token = server.http().send("POST", "/api/v1/oidc/token", partner.basic(),
                "application/x-www-form-urlencoded", "grant_type=authorization_code&code=a%00b".getBytes(StandardCharsets.UTF_8));
        assertThat(token.status()).as("a form value is only hashed and compared, never stored").isEqualTo(400);
    }

    @Test
    void aNulInASignUpNameIsRefusedAndCreatesNoUser() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME);
        var browser = server.browser();
        String phone = Flows.newPhone();
        var page = Flows.signInWithCode(server, browser, Flows.loginLink(server, partner, List.of("read.firstname"), null), phone);
        var refused = browser.submit(page, "/login/signup", Map.of("firstname", "A\u0000", "lastname", "B"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(server.app.users.findByPhone(phone)).isEmpty();
    }
}
