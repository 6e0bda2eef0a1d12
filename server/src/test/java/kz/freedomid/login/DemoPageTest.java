package kz.freedomid.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.demo.DemoSeed;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The development demo partner: /demo → Freedom ID login → /demo/callback with the token pair and user info. */
class DemoPageTest {
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
    void demoHomeHasTheSignInWithFreedomIdForm() {
        Browser.Page home = server.browser().get("/demo");
        assertThat(home.status()).isEqualTo(200);
        var form = home.form("/demo/start");
        assertThat(form.attr("method")).isEqualToIgnoringCase("post");
        assertThat(form.selectFirst("button[type=submit]").text()).isEqualTo("Sign in with Freedom ID");
        assertThat(server.browser().get("/").location()).isEqualTo("/demo");
    }

    @Test
    void startRedirectsToTheLoginLinkAndSetsTheStateCookie() {
        Browser browser = server.browser();
        Browser.Page start = browser.submit(browser.get("/demo"), "/demo/start", Map.of());
        assertThat(start.status()).isEqualTo(303);
        assertThat(start.location()).startsWith(server.baseUrl + "/login?track_id=");
        Map<String, String> query = Flows.query(start.location());
        assertThat(UUID.fromString(query.get("track_id"))).isNotNull();
        assertThat(Long.parseLong(query.get("expire_at")))
                .isEqualTo(server.clock.instant().plus(Duration.ofMinutes(15)).getEpochSecond());
        String cookie = start.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("demo_state="))
                .findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Path=/demo");

        Browser.Page login = browser.get(start.location());
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text()).contains("Freedom ID demo shop asks you to sign in with Freedom ID.");
    }

    @Test
    void demoUserSignsInWithPasswordApprovesAndTheCallbackShowsPairAndUserInfo() throws IOException {
        Browser browser = server.browser();
        Browser.Page login = browser.follow(browser.submit(browser.get("/demo"), "/demo/start", Map.of()));
        Browser.Page password = browser.submit(login, "/login/phone", Map.of("phone", DemoSeed.DEMO_PHONE, "method", "password"));
        Browser.Page consent = browser.follow(browser.submit(password, "/login/password",
                Map.of("password", DemoSeed.DEMO_PASSWORD)));
        assertThat(consent.text()).contains("Freedom ID demo shop asks for access to:");
        assertThat(consent.document().select("ul.grants li").eachText())
                .containsExactlyInAnyOrder("First name", "Last name", "Phone number", "Email address", "Date of birth");

        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).startsWith(server.baseUrl + "/demo/callback?authorization_code=");
        assertThat(Flows.query(back.location())).containsKey("state");

        Browser.Page callback = browser.get(back.location());
        assertThat(callback.status()).as(callback.body()).isEqualTo(200);
        assertThat(callback.document().select(".error")).isEmpty();
        assertThat(UUID.fromString(callback.document().getElementById("pair-id").text())).isNotNull();
        Instant accessExpires = Instant.parse(callback.document().getElementById("access-expire-at").text());
        Instant refreshExpires = Instant.parse(callback.document().getElementById("refresh-expire-at").text());
        assertThat(accessExpires).isCloseTo(server.clock.instant().plus(Duration.ofDays(7)), within(1, ChronoUnit.SECONDS));
        assertThat(refreshExpires).isCloseTo(server.clock.instant().plus(Duration.ofDays(30)), within(1, ChronoUnit.SECONDS));

        JsonNode user = Json.MAPPER.readTree(callback.document().getElementById("user-info").wholeText());
        assertThat(user.get("firstname").asText()).isEqualTo("Demo");
        assertThat(user.get("lastname").asText()).isEqualTo("User");
        assertThat(user.get("phone").asText()).isEqualTo(DemoSeed.DEMO_PHONE);
        assertThat(user.get("email").asText()).isEqualTo("demo@example.com");
        assertThat(user.get("date_of_birth").isNull()).isTrue();
        assertThat(user.has("gender")).isFalse();
        assertThat(UUID.fromString(user.get("id").asText())).isNotNull();

        // The code was used by the callback; the same link again is refused, and the demo shows an error, not a crash.
        Browser.Page replay = browser.get(back.location());
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.document().select(".error").text()).startsWith("Sign-in did not complete.");
    }

    @Test
    void declineEndsAtTheDemoCallbackWithErrorCode100103() {
        Browser browser = server.browser();
        Browser.Page login = browser.follow(browser.submit(browser.get("/demo"), "/demo/start", Map.of()));
        String phone = Flows.newPhone();
        Browser.Page code = browser.submit(login, "/login/phone", Map.of("phone", phone, "method", "otp"));
        Browser.Page signup = browser.submit(code, "/login/code", Map.of("code", server.outbox(phone).get(0).code()));
        Browser.Page consent = browser.follow(browser.submit(signup, "/login/signup", Map.of("firstname", "A", "lastname", "B")));
        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "deny"));
        assertThat(back.location()).startsWith(server.baseUrl + "/demo/callback?error_code=100103&state=");

        Browser.Page callback = browser.get(back.location());
        assertThat(callback.status()).isEqualTo(400);
        assertThat(callback.document().select(".error").text()).isEqualTo("Sign-in did not complete. Error code: 100103");
        assertThat(callback.document().getElementById("user-info")).isNull();
    }

    @Test
    void callbackWithAForgedStateIsRefusedWithoutExchangingTheCode() {
        Browser browser = server.browser();
        browser.submit(browser.get("/demo"), "/demo/start", Map.of());
        Browser.Page forged = browser.get("/demo/callback?authorization_code=abc&state=not-the-cookie");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.document().select(".error").text()).endsWith("Error code: state");
        assertThat(server.browser().get("/demo/callback?authorization_code=abc&state=x").status()).isEqualTo(400);
    }
}
