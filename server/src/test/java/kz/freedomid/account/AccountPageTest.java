package kz.freedomid.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The account page of contract section 5, driven through its forms like a browser would. */
public class AccountPageTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Opens /account signed out, signs in with phone + password on the login pages, and lands back on the account. */
    public static Browser.Page signInToAccount(Browser browser, User user, String password) {
        Browser.Page toLogin = browser.get("/account");
        assertThat(toLogin.status()).isEqualTo(303);
        assertThat(toLogin.location()).startsWith("/login?track_id=");
        Browser.Page phone = browser.follow(toLogin);
        assertThat(phone.text()).contains("Freedom ID");
        Browser.Page passwordPage = browser.submit(phone, "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        Browser.Page back = browser.submit(passwordPage, "/login/password", Map.of("password", password));
        assertThat(back.status()).as(back.body()).isEqualTo(303);
        assertThat(back.location()).isEqualTo("/account");
        Browser.Page account = browser.follow(back);
        assertThat(account.status()).as(account.body()).isEqualTo(200);
        return account;
    }

    static String csrf(Browser.Page page) {
        return page.document().selectFirst("input[name=csrf]").attr("value");
    }

    @Test
    void signedOutVisitorsSignInThroughTheLoginPagesAndSeeTheirProfileAndSession() {
        User user = Flows.user(server, "correct horse 42");
        Browser browser = server.browser().acceptLanguage("en");
        Browser.Page account = signInToAccount(browser, user, "correct horse 42");

        assertThat(account.document().selectFirst("h1").text()).isEqualTo("My Freedom ID");
        String profile = account.document().selectFirst("#profile").text();
        assertThat(profile).contains("Aigerim").contains("Nurlanova");
        assertThat(account.document().select("#sessions li")).hasSize(1);
        assertThat(account.document().selectFirst("#sessions li").text()).contains("this device");
        assertThat(account.text()).contains("You have not given any app access");
    }

    @Test
    void revokingAPartnerKillsItsTokensForgetsTheConsentAndCallsItBack() throws Exception {
        String redirectUri = "https://partner.example/callback";
        var registered = server.app.partners.register(new kz.freedomid.partner.PartnerService.NewPartner("Test Shop",
                List.of(redirectUri), java.util.Set.of(Grant.READ_FIRSTNAME, Grant.READ_PHONE), "http://127.0.0.1:9/revoke"));
        var partner = new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(), redirectUri);
        User user = Flows.user(server, "correct horse 42");
        Browser browser = server.browser().acceptLanguage("en");
        String location = Flows.approvedRedirect(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname", "read.phone"), null), user.phone());
        Flows.Tokens tokens = Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));
        assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + tokens.accessToken()).status()).isEqualTo(200);

        Browser.Page account = browser.get("/account");
        var row = account.document().selectFirst("#partners li[data-client-id=" + partner.clientId() + "]");
        assertThat(row).as(account.body()).isNotNull();
        assertThat(row.text()).contains("Test Shop").contains("First name").contains("Phone number").contains("last used");

        Browser.Page done = browser.post("/account/partners/revoke", Map.of("csrf", csrf(account), "client_id", partner.clientId()));
        assertThat(done.status()).isEqualTo(303);
        Browser.Page after = browser.follow(done);
        assertThat(after.document().selectFirst("#notice").text()).contains("Access revoked");
        assertThat(after.document().select("#partners li")).isEmpty();

        assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + tokens.accessToken()).status()).isEqualTo(401);
        Http.Response refresh = server.http().send("PATCH", "/api/v1/oauth/token", "Bearer " + tokens.refreshToken(), null, null);
        assertThat(refresh.status()).isEqualTo(401);
        assertThat(server.count("SELECT COUNT(*) FROM token_pairs WHERE id = ? AND revoke_reason = 'partner_revoked'",
                java.util.UUID.fromString(tokens.id()))).isEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'revoke-callback' AND task_instance = ?",
                "revoke:" + tokens.id())).as("the revoke callback is queued").isEqualTo(1);
        // The next sign-in to that partner asks for consent again.
        Browser.Page again = browser.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        assertThat(again.status()).isEqualTo(303);
        assertThat(again.location()).startsWith("/login/consent");
    }

    @Test
    void endingAnotherSessionSignsThatDeviceOutAndRevokesItsTokens() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME);
        User user = Flows.user(server, "correct horse 42");
        Browser laptop = server.browser().acceptLanguage("en");
        Browser phone = server.browser().acceptLanguage("en");
        String location = Flows.approvedRedirect(server, phone,
                Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        Flows.Tokens phoneTokens = Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));

        Browser.Page account = signInToAccount(laptop, user, "correct horse 42");
        var sessions = account.document().select("#sessions li");
        assertThat(sessions).hasSize(2);
        String other = sessions.stream().filter(li -> !li.text().contains("this device")).findFirst().orElseThrow()
                .attr("data-session-id");

        Browser.Page done = laptop.post("/account/sessions/end", Map.of("csrf", csrf(account), "session_id", other));
        assertThat(laptop.follow(done).document().select("#sessions li")).hasSize(1);
        assertThat(phone.get("/account").status()).as("the phone is signed out").isEqualTo(303);
        assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + phoneTokens.accessToken()).status()).isEqualTo(401);
    }

    @Test
    void aSessionOfAnotherUserCannotBeEnded() {
        User mallory = Flows.user(server, "correct horse 42");
        User victim = Flows.user(server, "correct horse 42");
        Browser victimBrowser = server.browser();
        signInToAccount(victimBrowser, victim, "correct horse 42");
        var victimSession = server.app.sessions.find(victimBrowser.cookie(LoginRoutes.SESSION_COOKIE).getValue()).orElseThrow();

        Browser browser = server.browser();
        Browser.Page account = signInToAccount(browser, mallory, "correct horse 42");
        browser.post("/account/sessions/end", Map.of("csrf", csrf(account), "session_id", victimSession.session().id().toString()));
        assertThat(victimBrowser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void passwordRulesAndChange() {
        User user = Flows.user(server, null);
        Browser browser = server.browser().acceptLanguage("en");
        String location = Flows.approvedRedirect(server, browser,
                Flows.loginLink(server, Flows.partner(server, Grant.READ_FIRSTNAME), List.of("read.firstname"), null), user.phone());
        assertThat(location).contains("authorization_code=");
        Browser.Page account = browser.get("/account");
        assertThat(account.text()).contains("No password yet");
        assertThat(account.document().select("#current_password")).isEmpty();

        Browser.Page tooShort = browser.submit(account, "/account/password", Map.of("new_password", "short1"));
        assertThat(tooShort.status()).isEqualTo(422);
        assertThat(tooShort.document().selectFirst("#error").text()).contains("too short");
        Browser.Page common = browser.submit(account, "/account/password", Map.of("new_password", "Password123"));
        assertThat(common.status()).isEqualTo(422);
        assertThat(common.document().selectFirst("#error").text()).contains("too common");
        Browser.Page phoneAsPassword = browser.submit(account, "/account/password", Map.of("new_password", user.phone()));
        assertThat(phoneAsPassword.status()).isEqualTo(422);
        assertThat(server.app.users.find(user.id()).orElseThrow().hasPassword()).isFalse();

        Browser.Page set = browser.submit(account, "/account/password", Map.of("new_password", "tulip-steppe-1987"));
        assertThat(set.status()).isEqualTo(303);
        Browser.Page withPassword = browser.follow(set);
        assertThat(withPassword.document().selectFirst("#notice").text()).contains("password has been saved");
        assertThat(server.app.users.checkPassword(user.phone(), "tulip-steppe-1987")).isPresent();

        Browser.Page wrongCurrent = browser.submit(withPassword, "/account/password",
                Map.of("current_password", "not it", "new_password", "another-steppe-1990"));
        assertThat(wrongCurrent.status()).isEqualTo(401);
        assertThat(server.app.users.checkPassword(user.phone(), "tulip-steppe-1987")).isPresent();
        Browser.Page changed = browser.submit(withPassword, "/account/password",
                Map.of("current_password", "tulip-steppe-1987", "new_password", "another-steppe-1990"));
        assertThat(changed.status()).isEqualTo(303);
        assertThat(server.app.users.checkPassword(user.phone(), "another-steppe-1990")).isPresent();
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenChangeNothing() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME);
        User user = Flows.user(server, "correct horse 42");
        Browser browser = server.browser();
        String location = Flows.approvedRedirect(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        Flows.Tokens tokens = Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));

        assertThat(browser.post("/account/partners/revoke", Map.of("client_id", partner.clientId())).status()).isEqualTo(403);
        assertThat(browser.post("/account/logout", Map.of("csrf", "forged")).status()).isEqualTo(403);
        assertThat(browser.post("/account/password", Map.of("new_password", "tulip-steppe-1987")).status()).isEqualTo(403);
        assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + tokens.accessToken()).status()).isEqualTo(200);
        assertThat(browser.get("/account").status()).isEqualTo(200);
        assertThat(server.app.users.find(user.id()).orElseThrow().passwordHash()).isEqualTo(user.passwordHash());
    }

    @Test
    void logoutEndsTheSessionAndItsTokens() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME);
        User user = Flows.user(server, "correct horse 42");
        Browser browser = server.browser().acceptLanguage("ru");
        String location = Flows.approvedRedirect(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        Flows.Tokens tokens = Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));

        Browser.Page account = browser.get("/account");
        assertThat(account.document().selectFirst("h1").text()).isEqualTo("Мой Freedom ID");
        Browser.Page out = browser.submit(account, "/account/logout", Map.of());
        assertThat(out.status()).isEqualTo(200);
        assertThat(browser.get("/account").status()).isEqualTo(303);
        assertThat(server.http().get("/api/v1/oauth/user", "Bearer " + tokens.accessToken()).status()).isEqualTo(401);
    }

    @Test
    void anIdleBrowserMustSignInAgainWhileItsPartnerTokensLiveOn() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME);
        User user = Flows.user(server, "correct horse 42");
        Browser browser = server.browser();
        String location = Flows.approvedRedirect(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        Flows.Tokens tokens = Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));
        java.time.Duration idle = server.app.config.lifetimes().sessionIdle();

        server.clock.advance(idle.minusMinutes(5));
        assertThat(browser.get("/account").status()).as("used within the idle window").isEqualTo(200);
        server.clock.advance(idle.minusMinutes(5));
        assertThat(browser.get("/account").status()).as("the visit above renewed it").isEqualTo(200);
        server.clock.advance(idle.plusMinutes(1));
        assertThat(browser.get("/account").status()).as("idle too long: sign in again").isEqualTo(303);
        Http.Response refreshed = server.http().send("PATCH", "/api/v1/oauth/token", "Bearer " + tokens.refreshToken(), null, null);
        assertThat(refreshed.status()).as("the partner's grant outlives the idle browser").isEqualTo(200);
    }

    @Test
    void aSessionNobodySignedInToLastsAnHourAndASignedInOneItsLifetimeFromTheSignIn() {
        User user = Flows.user(server, "correct horse 42");
        Browser browser = server.browser();
        server.clock.advance(java.time.Duration.ofSeconds(1)); // sessions of earlier tests start before this one
        java.time.Instant opened = server.clock.instant();
        Browser.Page phone = browser.follow(browser.get("/account"));
        assertThat(anonymousExpiringBetween(opened, opened.plus(java.time.Duration.ofHours(1)))).isEqualTo(1);

        server.clock.advance(java.time.Duration.ofMinutes(5));
        java.time.Instant signedIn = server.clock.instant();
        Browser.Page passwordPage = browser.submit(phone, "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "correct horse 42")).location())
                .isEqualTo("/account");
        java.time.Duration lifetime = server.app.config.lifetimes().session();
        assertThat(server.count("SELECT COUNT(*) FROM web_sessions WHERE user_id = ? AND expires_at > ? AND expires_at <= ?",
                user.id(), signedIn.plus(lifetime).minusSeconds(1), signedIn.plus(lifetime))).isEqualTo(1);

        server.clock.advance(java.time.Duration.ofMinutes(60)); // past the anonymous hour, well within the lifetime
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    private static long anonymousExpiringBetween(java.time.Instant after, java.time.Instant until) {
        return server.count("SELECT COUNT(*) FROM web_sessions WHERE user_id IS NULL AND created_at >= ?"
                + " AND expires_at > ? AND expires_at <= ?", after, after, until);
    }

    @Test
    void theUserEditsTheirProfileWithTheSameRulesAsThePartnerApi() {
        User other = server.app.users.create(new kz.freedomid.user.NewUser(Flows.newPhone(), "taken@example.kz", "O", "T",
                null, true, null));
        User user = Flows.user(server, "correct horse 42");
        Browser browser = server.browser().acceptLanguage("en");
        signInToAccount(browser, user, "correct horse 42");
        Browser.Page form = browser.get("/account/profile");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.document().selectFirst("#firstname").attr("value")).isEqualTo("Aigerim");
        assertThat(form.document().select("#country option")).hasSizeGreaterThan(200);

        Browser.Page badDate = browser.submit(form, "/account/profile", Map.of("date_of_birth", "2023-02-30"));
        assertThat(badDate.status()).isEqualTo(422);
        assertThat(badDate.document().selectFirst("#date_of_birth").attr("aria-invalid")).isEqualTo("true");
        assertThat(badDate.document().selectFirst("#error").text()).contains("need attention");
        Browser.Page taken = browser.submit(form, "/account/profile", Map.of("email", other.email()));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.document().selectFirst("#error").text()).contains("another Freedom ID account");
        assertThat(server.app.users.find(user.id()).orElseThrow().email()).isNull();

        Browser.Page saved = browser.submit(form, "/account/profile", Map.of("firstname", "Айгерим", "patronymic", "",
                "date_of_birth", "1994-03-08", "gender", "F", "country", "KAZ", "email", "aigerim@example.kz",
                "phones", "+77017770001\n\n +77017770002 ", "emails", "a.n@example.kz"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(303);
        Browser.Page account = browser.follow(saved);
        assertThat(account.document().selectFirst("#notice").text()).contains("profile has been saved");
        assertThat(account.document().selectFirst("#profile").text()).contains("Айгерим").contains("Kazakhstan")
                .contains("Female").contains("aigerim@example.kz").contains("+7 701 777 00 02");
        User after = server.app.users.find(user.id()).orElseThrow();
        assertThat(after.firstname()).isEqualTo("Айгерим");
        assertThat(after.dateOfBirth()).isEqualTo(java.time.LocalDate.of(1994, 3, 8));
        assertThat(after.phone()).isEqualTo(user.phone());
        assertThat(after.emailVerified()).isFalse();
        assertThat(server.app.users.extras(user.id()).phones()).containsExactly("+77017770001", "+77017770002");
    }
}
