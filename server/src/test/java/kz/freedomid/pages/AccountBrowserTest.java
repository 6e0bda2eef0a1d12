package kz.freedomid.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.RealBrowser;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The account page in a real Chromium: sign in, revoke a partner, end another session, switch the language. */
class AccountBrowserTest {
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
    void revokingAPartnerInTheBrowserStopsItsToken() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_EMAIL);
        User user = Flows.user(server, "steppe-eagle-2024");
        // The user signed in to the partner earlier on another device; the partner holds a token pair.
        String location = Flows.approvedRedirect(server, server.browser(),
                Flows.loginLink(server, partner, List.of("read.firstname", "read.email"), null), user.phone());
        Flows.Tokens tokens = Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));

        try (RealBrowser browser = new RealBrowser(server.baseUrl, "en")) {
            signIn(browser, user, "steppe-eagle-2024");
            browser.screenshot("account-en");
            WebElement row = browser.find("#partners li[data-client-id='" + partner.clientId() + "']");
            assertThat(row.getText()).contains("Test Shop").contains("First name").contains("Email address");
            row.findElement(By.cssSelector("button")).click();

            waitFor(browser, "#notice");
            assertThat(browser.find("#notice").getText()).contains("Access revoked");
            assertThat(browser.findAll("#partners li")).isEmpty();
            assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + tokens.accessToken()).status()).isEqualTo(401);
        }
    }

    @Test
    void endingTheOtherSessionSignsTheOtherBrowserOut() {
        User user = Flows.user(server, "steppe-eagle-2024");
        try (RealBrowser laptop = new RealBrowser(server.baseUrl, "ru"); RealBrowser phone = new RealBrowser(server.baseUrl, "kk")) {
            signIn(phone, user, "steppe-eagle-2024");
            signIn(laptop, user, "steppe-eagle-2024");
            assertThat(laptop.findAll("#sessions li")).hasSize(2);
            laptop.screenshot("account-ru");
            WebElement other = laptop.findAll("#sessions li").stream()
                    .filter(li -> li.findElements(By.cssSelector(".badge")).isEmpty()).findFirst().orElseThrow();
            other.findElement(By.cssSelector("button")).click();
            waitFor(laptop, "#notice");
            assertThat(laptop.find("#notice").getText()).isEqualTo("Сеанс завершён.");
            assertThat(laptop.findAll("#sessions li")).hasSize(1);

            phone.open("/account");
            phone.awaitPath("/login");
            assertThat(phone.find("#phone").isDisplayed()).as("the phone must sign in again").isTrue();
        }
    }

    @Test
    void theLanguageSwitcherChangesThePageAndIsRemembered() {
        User user = Flows.user(server, "steppe-eagle-2024");
        try (RealBrowser browser = new RealBrowser(server.baseUrl, "en")) {
            signIn(browser, user, "steppe-eagle-2024");
            assertThat(browser.title()).isEqualTo("My Freedom ID");
            browser.driver.findElement(By.linkText("Қазақша")).click();
            new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> browser.title().equals("Менің Freedom ID"));
            assertThat(browser.find("html").getAttribute("lang")).isEqualTo("kk");
            browser.screenshot("account-kk");
            browser.open("/account");
            assertThat(browser.title()).as("the choice is remembered").isEqualTo("Менің Freedom ID");
            browser.driver.findElement(By.linkText("Русский")).click();
            new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> browser.title().equals("Мой Freedom ID"));
        }
    }

    @Test
    void editingTheProfileInTheBrowser() {
        User user = Flows.user(server, "steppe-eagle-2024");
        try (RealBrowser browser = new RealBrowser(server.baseUrl, "kk")) {
            signIn(browser, user, "steppe-eagle-2024");
            browser.click("#edit-profile");
            browser.awaitPath("/account/profile");
            browser.screenshot("account-profile-kk");
            browser.type("#firstname", "Әсел");
            new org.openqa.selenium.support.ui.Select(browser.find("#country")).selectByValue("KAZ");
            browser.click("#profile-form button.primary");
            waitFor(browser, "#notice");
            assertThat(browser.find("#notice").getText()).isEqualTo("Профиль сақталды.");
            assertThat(browser.find("#profile").getText()).contains("Әсел").contains("Қазақстан");
            assertThat(server.app.users.find(user.id()).orElseThrow().country()).isEqualTo("KAZ");
        }
    }

    private static void signIn(RealBrowser browser, User user, String password) {
        browser.open("/account");
        browser.awaitPath("/login");
        browser.type("#phone", user.phone());
        browser.click("button[value='password']");
        waitFor(browser, "#password");
        browser.type("#password", password);
        browser.click("form[action='/login/password'] button.primary");
        browser.awaitPath("/account");
        waitFor(browser, "#sessions");
    }

    private static void waitFor(RealBrowser browser, String css) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }
}
