package kz.freedomid.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contract 3.2: the hosted pages from the login link to the redirect back to the partner. */
class LoginFlowPagesTest {
    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void newPhoneSignsUpThenConsentListsPartnerAndGrantsThenApproveRedirectsWithCodeAndState() {
        Browser browser = server.browser();
        String link = Flows.loginLink(server, partner, List.of("read.firstname", "read.phone", "openid"), "st-42");
        Browser.Page signup = Flows.signInWithCode(server, browser, link, Flows.newPhone());
        assertThat(signup.status()).as(signup.body()).isEqualTo(200);
        assertThat(signup.form("/login/signup").select("input[name=firstname], input[name=lastname]")).hasSize(2);

        Browser.Page toConsent = browser.submit(signup, "/login/signup", Map.of("firstname", "Dana", "lastname", "Serikova"));
        assertThat(toConsent.status()).isEqualTo(303);
        assertThat(toConsent.location()).startsWith("/login/consent?track_id=");
        Browser.Page consent = browser.follow(toConsent);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.text()).contains("Test Shop asks for access to:");
        assertThat(consent.document().select("ul.grants li").eachText()).containsExactly("First name", "Phone number");
        assertThat(consent.form("/login/consent").select("button[name=decision]").eachAttr("value"))
                .containsExactly("approve", "deny");

        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).startsWith("https://partner.example/callback?shop=1&authorization_code=");
        Map<String, String> query = Flows.query(back.location());
        assertThat(query).containsEntry("shop", "1").containsEntry("state", "st-42").containsKey("authorization_code");
        assertThat(query.get("authorization_code")).isNotBlank();
    }

    @Test
    void codeFromThePagesIsExchangedForTokensThatReadTheSignedUpUser() {
        String link = Flows.loginLink(server, partner, List.of("read.firstname", "read.lastname"), null);
        String location = Flows.approvedRedirect(server, server.browser(), link, Flows.newPhone());
        assertThat(Flows.query(location)).doesNotContainKey("state");

        var tokens = Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));
        var info = server.http().get("/api/v1/oauth/user", "Bearer " + tokens.accessToken()).json();
        assertThat(info.get("firstname").asText()).isEqualTo("Dana");
        assertThat(info.get("lastname").asText()).isEqualTo("Serikova");
        assertThat(info.has("phone")).isFalse();
    }

    @Test
    void existingUserWithPasswordSignsInOnThePasswordPageThenSeesConsent() {
        var user = Flows.user(server, "correct-horse-1");
        Browser browser = server.browser();
        Browser.Page phonePage = browser.get(Flows.loginLink(server, partner, List.of("read.lastname"), "p"));
        Browser.Page passwordPage = browser.submit(phonePage, "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        assertThat(passwordPage.status()).isEqualTo(200);
        assertThat(passwordPage.form("/login/password").selectFirst("input[name=password]")).isNotNull();
        assertThat(server.outbox(user.phone())).isEmpty();

        Browser.Page toConsent = browser.submit(passwordPage, "/login/password", Map.of("password", "correct-horse-1"));
        assertThat(toConsent.status()).as(toConsent.body()).isEqualTo(303);
        Browser.Page consent = browser.follow(toConsent);
        assertThat(consent.document().select("ul.grants li").eachText()).containsExactly("Last name");
        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        assertThat(Flows.query(back.location())).containsKey("authorization_code").containsEntry("state", "p");
    }

    @Test
    void declineRedirectsWithErrorCode100103AndStateAndIsNotRemembered() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page page = Flows.signInWithCode(server, browser,
                Flows.loginLink(server, partner, List.of("read.email"), "s1"), phone);
        page = browser.submit(page, "/login/signup", Map.of("firstname", "A", "lastname", "B"));
        Browser.Page back = browser.submit(browser.follow(page), "/login/consent", Map.of("decision", "deny"));
        assertThat(back.status()).isEqualTo(303);
        Map<String, String> query = Flows.query(back.location());
        assertThat(back.location()).startsWith("https://partner.example/callback?shop=1&");
        assertThat(query).containsEntry("error_code", "100103").containsEntry("state", "s1")
                .doesNotContainKey("authorization_code");

        Browser.Page again = browser.get(Flows.loginLink(server, partner, List.of("read.email"), null));
        assertThat(again.status()).isEqualTo(303);
        assertThat(again.location()).startsWith("/login/consent?track_id=");
    }

    @Test
    void rememberedConsentSkipsTheConsentPageInTheSameBrowserAndAfterSigningInAgain() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        List<String> grants = List.of("read.firstname", "read.phone");
        Flows.approvedRedirect(server, browser, Flows.loginLink(server, partner, grants, null), phone);

        Browser.Page straight = browser.get(Flows.loginLink(server, partner, grants, "again"));
        assertThat(straight.status()).isEqualTo(303);
        assertThat(Flows.query(straight.location())).containsKey("authorization_code").containsEntry("state", "again");

        browser.clearCookies();
        server.clock.advance(Duration.ofSeconds(61));
        Browser.Page afterCode = Flows.signInWithCode(server, browser, Flows.loginLink(server, partner, grants, null), phone);
        assertThat(afterCode.status()).isEqualTo(303);
        assertThat(afterCode.location()).startsWith("https://partner.example/callback?shop=1&authorization_code=");
    }

    @Test
    void subsetOfConsentedGrantsIsRememberedButANewGrantAsksAgain() {
        Browser browser = server.browser();
        Flows.approvedRedirect(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname", "read.lastname"), null), Flows.newPhone());

        Browser.Page subset = browser.get(Flows.loginLink(server, partner, List.of("read.lastname"), null));
        assertThat(subset.status()).isEqualTo(303);
        assertThat(Flows.query(subset.location())).containsKey("authorization_code");

        Browser.Page wider = browser.get(Flows.loginLink(server, partner, List.of("read.firstname", "read.email"), null));
        assertThat(wider.status()).isEqualTo(303);
        assertThat(wider.location()).startsWith("/login/consent?track_id=");
        Browser.Page consent = browser.follow(wider);
        assertThat(consent.document().select("ul.grants li").eachText()).containsExactly("First name", "Email address");
    }

    @Test
    void expiredLinkShows410PageWhoseButtonReturnsErrorCode100102() {
        Browser browser = server.browser();
        String link = Flows.loginLink(server, partner, List.of("read.firstname"), "late");
        assertThat(browser.get(link).status()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(15).plusSeconds(1));

        Browser.Page expired = browser.get(link);
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.location()).isNull();
        assertThat(expired.text()).contains("The link has expired").contains("Return to Test Shop");
        Browser.Page back = browser.submit(expired, "/login/expired", Map.of());
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).startsWith("https://partner.example/callback?shop=1&");
        assertThat(Flows.query(back.location())).containsEntry("error_code", "100102").containsEntry("state", "late")
                .doesNotContainKey("authorization_code");

        Browser.Page used = browser.get(link);
        assertThat(used.status()).isEqualTo(410);
        assertThat(used.location()).isNull();
        assertThat(used.document().select("form")).isEmpty();
    }

    @Test
    void linkExpiringWhileOnTheCodePageShowsTheExpiredPage() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page phonePage = browser.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        Browser.Page codePage = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
        server.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        Browser.Page expired = browser.submit(codePage, "/login/code", Map.of("code", server.outbox(phone).get(0).code()));
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.form("/login/expired")).isNotNull();
    }

    @Test
    void usedTrackShowsAnErrorPageAndRedirectsNowhere() {
        Browser browser = server.browser();
        String link = Flows.loginLink(server, partner, List.of("read.phone"), null);
        Browser.Page page = Flows.signInWithCode(server, browser, link, Flows.newPhone());
        page = browser.submit(page, "/login/signup", Map.of("firstname", "A", "lastname", "B"));
        Browser.Page consent = browser.follow(page);
        assertThat(browser.submit(consent, "/login/consent", Map.of("decision", "approve")).status()).isEqualTo(303);

        for (Browser.Page again : List.of(browser.get(link), server.browser().get(link),
                browser.submit(consent, "/login/consent", Map.of("decision", "approve")),
                browser.submit(consent, "/login/consent", Map.of("decision", "deny")))) {
            assertThat(again.status()).isEqualTo(410);
            assertThat(again.location()).isNull();
            assertThat(again.text()).contains("already been used");
        }
    }

    @Test
    void unknownOrGarbageTrackIdShows404PageWithoutRedirect() {
        for (String path : List.of("/login?track_id=" + UUID.randomUUID() + "&expire_at=9999999999",
                "/login?track_id=garbage", "/login?track_id=%3Cscript%3E", "/login")) {
            Browser.Page page = server.browser().get(path);
            assertThat(page.status()).as(path).isEqualTo(404);
            assertThat(page.location()).as(path).isNull();
            assertThat(page.text()).contains("This sign-in link is not valid");
            assertThat(page.body()).doesNotContain("<script>");
        }
        Browser.Page consent = server.browser().get("/login/consent?track_id=" + UUID.randomUUID());
        assertThat(consent.status()).isEqualTo(303);
        assertThat(consent.location()).startsWith("/login?track_id=");
    }

    @Test
    void consentPageEscapesThePartnerNameAndShowsIdOnlyForOpenid() {
        var registered = server.app.partners.register(new PartnerService.NewPartner("<b>Shop & \"Co\"</b>",
                List.of("https://other.example/cb"), Set.of(Grant.OPENID, Grant.READ_FIRSTNAME), null));
        var other = new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(),
                "https://other.example/cb");
        Browser browser = server.browser();
        Browser.Page page = Flows.signInWithCode(server, browser, Flows.loginLink(server, other, List.of("openid"), null),
                Flows.newPhone());
        Browser.Page consent = browser.follow(browser.submit(page, "/login/signup", Map.of("firstname", "A", "lastname", "B")));
        assertThat(consent.body()).doesNotContain("<b>Shop").contains("&lt;b&gt;Shop");
        assertThat(consent.text()).contains("<b>Shop & \"Co\"</b> asks for access to:")
                .contains("Your Freedom ID identifier only.");
        assertThat(consent.document().select("ul.grants")).isEmpty();
        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        assertThat(back.location()).startsWith("https://other.example/cb?authorization_code=");
    }

    @Test
    void signupNeedsBothNamesAndAPhoneVerifiedInThisSession() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page signup = Flows.signInWithCode(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname"), null), phone);
        for (Map<String, String> names : List.of(Map.of("firstname", " ", "lastname", "B"),
                Map.of("firstname", "A", "lastname", "x".repeat(101)))) {
            Browser.Page rejected = browser.submit(signup, "/login/signup", names);
            assertThat(rejected.status()).isEqualTo(422);
            assertThat(rejected.text()).contains("Enter your first and last name");
        }
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE phone = ?", phone)).isZero();

        Browser stranger = server.browser();
        Browser.Page phonePage = stranger.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        Browser.Page direct = stranger.post("/login/signup", Map.of("csrf", phonePage.form("/login/phone").selectFirst("input[name=csrf]").val(),
                "track_id", phonePage.form("/login/phone").selectFirst("input[name=track_id]").val(),
                "firstname", "Mallory", "lastname", "M"));
        assertThat(direct.status()).isEqualTo(409);
        assertThat(direct.text()).contains("Confirm your phone number first.");
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE firstname = ?", "Mallory")).isZero();
    }

    @Test
    void expiredPageButtonNeedsTheCsrfTokenOfItsSession() {
        Browser browser = server.browser();
        String link = Flows.loginLink(server, partner, List.of("read.firstname"), null);
        browser.get(link);
        server.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        Browser.Page expired = browser.get(link);
        assertThat(browser.submit(expired, "/login/expired", Map.of("csrf", "forged")).status()).isEqualTo(403);
        assertThat(server.browser().submit(expired, "/login/expired", Map.of()).status()).isEqualTo(403);
        Browser.Page back = browser.submit(expired, "/login/expired", Map.of());
        assertThat(Flows.query(back.location())).containsEntry("error_code", "100102");
    }

    @Test
    void phoneIsMarkedVerifiedBySmsSignInButNotByPassword() {
        String phone = Flows.newPhone();
        var user = server.app.users.create(new kz.freedomid.user.NewUser(phone, null, "Erlan", "Sadykov", "long-password-1", false, null));
        Browser browser = server.browser();
        String link = Flows.loginLink(server, partner, List.of("read.phone"), null);
        Browser.Page password = browser.submit(browser.get(link), "/login/phone", Map.of("phone", phone, "method", "password"));
        assertThat(browser.submit(password, "/login/password", Map.of("password", "long-password-1")).status()).isEqualTo(303);
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE id = ? AND phone_verified = FALSE AND last_login_at IS NOT NULL", user.id()))
                .isEqualTo(1);

        Flows.signInWithCode(server, server.browser(), Flows.loginLink(server, partner, List.of("read.phone"), null), phone);
        assertThat(server.count("SELECT COUNT(*) FROM users WHERE id = ? AND phone_verified = TRUE", user.id())).isEqualTo(1);
    }
}
