package kz.freedomid.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import kz.freedomid.device.DeviceFlow;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.RealBrowser;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import kz.freedomid.testing.Flows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The device flow's page in a real Chromium: open verification_uri_complete, sign in, confirm, approve. */
class DeviceBrowserTest {
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
    void aUserApprovesATvInKazakhAndTheTvGetsTokens() {
        var client = OidcTestSupport.register(server, OidcTestSupport.GRANTS,
                OidcTestSupport.settings(false, Set.of(), "RS256").withDeviceGrant(true));
        JsonNode start = OidcTestSupport.postForm(server, "/api/v1/oidc/device", client.basic(),
                Map.of("scope", "openid read.firstname")).json();
        String complete = start.path("verification_uri_complete").asText();
        User user = Flows.user(server, "steppe-eagle-2024");
        try (RealBrowser browser = new RealBrowser(server.baseUrl, "kk")) {
            browser.open(complete.substring(server.app.config.issuer().length()));
            browser.awaitPath("/login");
            browser.type("#phone", user.phone());
            browser.click("button[value='password']");
            waitFor(browser, "#password");
            browser.type("#password", "steppe-eagle-2024");
            browser.click("form[action='/login/password'] button.primary");
            browser.awaitPath("/device");
            waitFor(browser, "#user_code");
            assertThat(browser.find("#user_code").getAttribute("value")).isEqualTo(start.path("user_code").asText());
            assertThat(browser.find("html").getAttribute("lang")).isEqualTo("kk");
            browser.screenshot("device-enter-kk");
            browser.click("form[action='/device'] button.primary");
            waitFor(browser, "#partner-name");
            assertThat(browser.find("#partner-name").getText()).isEqualTo("OIDC RP");
            assertThat(browser.find("#user-code").getText()).isEqualTo(start.path("user_code").asText());
            assertThat(browser.find("ul.grants").getText()).isNotBlank();
            browser.screenshot("device-confirm-kk");
            browser.click("button[value='approve']");
            new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("p.lead"), "Құрылғы қосылды"));
        }
        server.clock.advance(Duration.ofSeconds(5));
        Http.Response tokens = OidcTestSupport.postForm(server, "/api/v1/oidc/token", client.basic(),
                Map.of("grant_type", DeviceFlow.GRANT_TYPE, "device_code", start.path("device_code").asText()));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(OidcTestSupport.verifyIdToken(server, tokens.json().path("id_token").asText()).getSubject())
                .isEqualTo(user.id().toString());
    }

    private static void waitFor(RealBrowser browser, String css) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }
}
