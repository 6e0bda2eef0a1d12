package kz.freedomid.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** User codes are short (RFC 8628 §5.1): guesses at {@code /device} count against the sign-in attempts of the address. */
class DeviceRateLimitTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_CLIENT_IP_HEADER", "X-Forwarded-For",
                "FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", "4"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void guessingWhenOverTheLimitThen429AndEvenTheRightCodeChangesNothing() {
        var client = OidcTestSupport.register(server, OidcTestSupport.GRANTS,
                OidcTestSupport.settings(false, Set.of(), "RS256").withDeviceGrant(true));
        JsonNode start = OidcTestSupport.postForm(server, "/api/v1/oidc/device", client.basic(), Map.of("scope", "openid"))
                .json();
        String userCode = start.path("user_code").asText();
        User user = Flows.user(server, null);
        Browser browser = server.browser().header("X-Forwarded-For", "203.0.113.7");
        Browser.Page toLogin = browser.get("/device");
        Browser.Page form = browser.follow(Flows.signInWithCode(server, browser, toLogin.location(), user.phone())); // 1
        for (String guess : new String[] {"BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD"}) { // 2, 3, 4
            assertThat(browser.submit(form, "/device", Map.of("user_code", guess)).status()).isEqualTo(400);
        }
        Browser.Page limited = browser.submit(form, "/device", Map.of("user_code", userCode));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotBlank();
        Browser.Page decision = browser.post("/device/decision", Map.of("csrf",
                form.document().selectFirst("input[name=csrf]").attr("value"), "user_code", userCode, "decision", "approve"));
        assertThat(decision.status()).isEqualTo(429);
        assertThat(server.count("SELECT COUNT(*) FROM device_authorizations WHERE status = 'pending'")).isEqualTo(1);

        // Another address is not held back by this one.
        Browser other = server.browser().header("X-Forwarded-For", "203.0.113.8");
        Browser.Page otherForm = other.follow(Flows.signInWithCode(server, other, other.get("/device").location(),
                Flows.user(server, null).phone()));
        assertThat(other.submit(otherForm, "/device", Map.of("user_code", userCode)).status()).isEqualTo(200);
    }
}
