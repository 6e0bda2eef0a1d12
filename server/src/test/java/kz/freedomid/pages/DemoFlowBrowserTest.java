package kz.freedomid.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.RealBrowser;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The development demo partner driven in a real Chromium: from the /demo page through phone, SMS code, sign-up and
 * consent to the user's data shown at the partner's callback, in each language, with screenshots of every page.
 */
class DemoFlowBrowserTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ru", "kk", "en"})
    void aNewPhoneSignsUpConsentsAndThePartnerShowsTheData(String lang) {
        try (RealBrowser browser = new RealBrowser(server.baseUrl, lang)) {
            browser.open("/demo");
            assertThat(browser.find("html").getAttribute("lang")).isEqualTo(lang);
            browser.screenshot("demo-" + lang);
            browser.click("form[action='/demo/start'] button");
            browser.awaitPath("/login");
            assertThat(browser.find("html").getAttribute("lang")).as("the language follows the browser").isEqualTo(lang);
            browser.screenshot("login-phone-" + lang);

            String phone = Flows.newPhone();
            browser.type("#phone", phone);
            browser.click("button[value='otp'].primary");
            waitFor(browser, "#code");
            browser.screenshot("login-code-" + lang);
            String code = server.outbox(phone).get(0).code();
            browser.type("#code", code);
            browser.click("form[action='/login/code'] button.primary");

            waitFor(browser, "#firstname");
            browser.screenshot("login-signup-" + lang);
            browser.type("#firstname", "Айгерим");
            browser.type("#lastname", "Нурланова");
            browser.click("form[action='/login/signup'] button.primary");

            waitFor(browser, "button[value='approve']");
            String consent = browser.find("main").getText();
            assertThat(consent).as("the partner's name and the grants in the user's language").contains("Freedom ID demo shop")
                    .contains(java.util.Map.of("ru", "Номер телефона", "kk", "Телефон нөмірі", "en", "Phone number").get(lang));
            browser.screenshot("login-consent-" + lang);
            browser.click("button[value='approve']");

            browser.awaitPath("/demo/callback");
            browser.screenshot("demo-callback-" + lang);
            String userInfo = browser.find("#user-info").getText();
            assertThat(userInfo).contains("\"firstname\" : \"Айгерим\"").contains(phone);
            assertThat(browser.find("#pair-id").getText()).matches("[0-9a-f-]{36}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"en"})
    void declineReturnsTheUserToThePartnerWithTheDeclinedCode(String lang) {
        try (RealBrowser browser = new RealBrowser(server.baseUrl, lang)) {
            browser.open("/demo");
            browser.click("form[action='/demo/start'] button");
            browser.awaitPath("/login");
            String phone = Flows.newPhone();
            browser.type("#phone", phone);
            browser.click("button[value='otp'].primary");
            waitFor(browser, "#code");
            browser.type("#code", server.outbox(phone).get(0).code());
            browser.click("form[action='/login/code'] button.primary");
            waitFor(browser, "#firstname");
            browser.type("#firstname", "Dana");
            browser.type("#lastname", "Sultan");
            browser.click("form[action='/login/signup'] button.primary");
            waitFor(browser, "button[value='deny']");
            browser.click("button[value='deny']");

            browser.awaitPath("/demo/callback");
            assertThat(browser.find("[role='alert']").getText()).contains("100103");
            assertThat(browser.findAll("#user-info")).isEmpty();
        }
    }

    private static void waitFor(RealBrowser browser, String css) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }
}
