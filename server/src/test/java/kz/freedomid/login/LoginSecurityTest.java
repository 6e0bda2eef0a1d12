package kz.freedomid.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CSRF, the session cookie, page headers, and the one-time code and password rules of contract 5. */
class LoginSecurityTest {
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

    private static String link() {
        return Flows.loginLink(server, partner, List.of("read.firstname"), null);
    }

    private static Browser.Page codePage(Browser browser, String phone) {
        Browser.Page phonePage = browser.get(link());
        Browser.Page codePage = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
        assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
        return codePage;
    }

    private static String wrong(String code) {
        return code.substring(0, 5) + (char) ('0' + (code.charAt(5) - '0' + 1) % 10);
    }

    @Test
    void postWithoutOrWithWrongCsrfIs403AndSendsNothing() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        String link = link();
        Browser.Page phonePage = browser.get(link);
        Map<String, String> fields = new HashMap<>(Map.of("phone", phone, "method", "otp"));
        for (String csrf : new String[] {null, "", "forged", phonePage.form("/login/phone").selectFirst("input[name=csrf]").val() + "x"}) {
            fields.put("csrf", csrf);
            fields.put("track_id", Flows.query(link).get("track_id"));
            Browser.Page rejected = browser.post("/login/phone", fields);
            assertThat(rejected.status()).as("csrf=" + csrf).isEqualTo(403);
            assertThat(rejected.text()).contains("form is out of date");
        }
        // A valid token of another browser's session does not work either.
        Browser other = server.browser();
        Browser.Page otherPage = other.get(link);
        assertThat(browser.submit(otherPage, "/login/phone", Map.of("phone", phone, "method", "otp")).status()).isEqualTo(403);
        // No session cookie at all.
        assertThat(server.browser().submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp")).status())
                .isEqualTo(403);

        assertThat(server.outbox(phone)).isEmpty();
        assertThat(browser.get(link).status()).isEqualTo(200);
        assertThat(browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp")).status()).isEqualTo(200);
        assertThat(server.outbox(phone)).hasSize(1);
    }

    @Test
    void consentWithWrongCsrfIs403AndTheTrackStaysOpen() {
        Browser browser = server.browser();
        String link = link();
        Browser.Page page = Flows.signInWithCode(server, browser, link, Flows.newPhone());
        Browser.Page consent = browser.follow(browser.submit(page, "/login/signup", Map.of("firstname", "A", "lastname", "B")));
        Browser.Page rejected = browser.submit(consent, "/login/consent", Map.of("decision", "approve", "csrf", "nope"));
        assertThat(rejected.status()).isEqualTo(403);
        assertThat(rejected.location()).isNull();
        assertThat(browser.get(link).location()).startsWith("/login/consent");
        Browser.Page back = browser.submit(browser.follow(browser.get(link)), "/login/consent", Map.of("decision", "approve"));
        assertThat(Flows.query(back.location())).containsKey("authorization_code");
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteLax() {
        Browser.Page page = server.browser().get(link());
        List<String> cookies = page.headers().allValues("Set-Cookie");
        String session = cookies.stream().filter(c -> c.startsWith(LoginRoutes.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(session.toLowerCase()).contains("; httponly").contains("; samesite=lax").contains("; path=/");
        assertThat(session).doesNotContain("Secure"); // the test issuer is http://
    }

    @Test
    void sessionHandleChangesOnSignInAndTheOldHandleIsNotSignedIn() {
        Browser browser = server.browser();
        browser.get(link());
        String before = browser.cookie(LoginRoutes.SESSION_COOKIE).getValue();
        Browser.Page page = Flows.signInWithCode(server, browser, link(), Flows.newPhone());
        browser.submit(page, "/login/signup", Map.of("firstname", "A", "lastname", "B"));
        String after = browser.cookie(LoginRoutes.SESSION_COOKIE).getValue();
        assertThat(after).isNotEqualTo(before).hasSize(64);

        assertThat(browser.get(link()).location()).startsWith("/login/consent");
        Browser attacker = server.browser();
        attacker.setCookie(LoginRoutes.SESSION_COOKIE, before);
        Browser.Page attackerPage = attacker.get(link());
        assertThat(attackerPage.status()).isEqualTo(200);
        assertThat(attackerPage.form("/login/phone")).isNotNull();
    }

    @Test
    void everyPageSendsSecurityHeadersAndHasNoScriptOrInlineStyle() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        List<Browser.Page> pages = new ArrayList<>();
        String link = link();
        Browser.Page phonePage = browser.get(link);
        pages.add(phonePage);
        Browser.Page code = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
        pages.add(code);
        pages.add(browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "password")));
        pages.add(browser.submit(code, "/login/code", Map.of("code", wrong(server.outbox(phone).get(0).code()))));
        Browser.Page signup = browser.submit(code, "/login/code", Map.of("code", server.outbox(phone).get(0).code()));
        pages.add(signup);
        pages.add(browser.follow(browser.submit(signup, "/login/signup", Map.of("firstname", "A", "lastname", "B"))));
        pages.add(server.browser().get("/login?track_id=" + UUID.randomUUID()));
        pages.add(server.browser().get("/no/such/page"));
        pages.add(browser.post("/login/phone", Map.of()));
        String late = link();
        server.clock.advance(Duration.ofMinutes(16));
        pages.add(server.browser().get(late));
        for (Browser.Page page : pages) {
            String what = page.status() + " " + page.document().title();
            assertThat(page.header("Content-Type")).as(what).startsWith("text/html");
            assertThat(page.header("Content-Security-Policy")).as(what).contains("frame-ancestors 'none'")
                    .contains("default-src 'none'").doesNotContain("unsafe-inline");
            assertThat(page.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(page.header("Cache-Control")).as(what).isEqualTo("no-store");
            assertThat(page.document().select("script, style, [style]")).as(what).isEmpty();
            assertThat(page.document().getAllElements().stream()
                    .flatMap(e -> e.attributes().asList().stream()).filter(a -> a.getKey().startsWith("on"))).as(what).isEmpty();
        }
    }

    @Test
    void wrongCodeIsCountedAndFiveWrongLeaveNoAttemptsEvenForTheRightCode() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page codePage = codePage(browser, phone);
        String code = server.outbox(phone).get(0).code();
        for (int i = 1; i <= 4; i++) {
            Browser.Page wrong = browser.submit(codePage, "/login/code", Map.of("code", wrong(code)));
            assertThat(wrong.status()).isEqualTo(422);
            assertThat(wrong.text()).contains("The code is not correct");
            assertThat(server.count("SELECT attempts FROM otp_challenges WHERE phone = ?", phone)).isEqualTo(i);
        }
        Browser.Page fifth = browser.submit(codePage, "/login/code", Map.of("code", wrong(code)));
        assertThat(fifth.text()).contains("Too many wrong attempts");
        Browser.Page right = browser.submit(codePage, "/login/code", Map.of("code", code));
        assertThat(right.status()).isEqualTo(422);
        assertThat(right.text()).contains("Too many wrong attempts");
        assertThat(server.count("SELECT attempts FROM otp_challenges WHERE phone = ?", phone)).isEqualTo(5);
    }

    @Test
    void codeIsValidForFiveMinutesThenExpired() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page codePage = codePage(browser, phone);
        server.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        Browser.Page expired = browser.submit(codePage, "/login/code", Map.of("code", server.outbox(phone).get(0).code()));
        assertThat(expired.status()).isEqualTo(422);
        assertThat(expired.text()).contains("The code has expired");

        String other = Flows.newPhone();
        Browser.Page otherPage = codePage(browser, other);
        server.clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        Browser.Page ok = browser.submit(otherPage, "/login/code", Map.of("code", server.outbox(other).get(0).code()));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.form("/login/signup")).isNotNull();
    }

    @Test
    void codeOfAnotherSessionDoesNotWork() {
        String phone = Flows.newPhone();
        codePage(server.browser(), phone);
        String code = server.outbox(phone).get(0).code();
        Browser other = server.browser();
        Browser.Page phonePage = other.get(link());
        Browser.Page attempt = other.post("/login/code", Map.of("csrf", phonePage.form("/login/phone").selectFirst("input[name=csrf]").val(),
                "track_id", phonePage.form("/login/phone").selectFirst("input[name=track_id]").val(), "phone", phone, "code", code));
        assertThat(attempt.status()).isEqualTo(422);
        assertThat(attempt.form("/login/code")).isNotNull();
    }

    @Test
    void resendWithinSixtySecondsIsRefusedThenAllowedAndOnlyTheNewestCodeWorks() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page codePage = codePage(browser, phone);
        String first = server.outbox(phone).get(0).code();
        server.clock.advance(Duration.ofSeconds(30));
        Browser.Page soon = browser.submit(codePage, "/login/phone", Map.of("method", "otp"));
        assertThat(soon.status()).isEqualTo(200);
        assertThat(soon.text()).contains("A code was sent recently").contains("in 30 seconds");
        assertThat(server.outbox(phone)).hasSize(1);

        server.clock.advance(Duration.ofSeconds(30));
        Browser.Page resent = browser.submit(codePage, "/login/phone", Map.of("method", "otp"));
        assertThat(resent.text()).contains("We sent a code to " + phone);
        assertThat(server.outbox(phone)).hasSize(2);
        String second = server.outbox(phone).get(0).code();
        if (!second.equals(first)) {
            assertThat(browser.submit(resent, "/login/code", Map.of("code", first)).status()).isEqualTo(422);
        }
        assertThat(browser.submit(resent, "/login/code", Map.of("code", second)).form("/login/signup")).isNotNull();
    }

    @Test
    void sixthCodeWithinAnHourIsRefusedWith429() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page codePage = codePage(browser, phone);
        for (int i = 2; i <= 5; i++) {
            server.clock.advance(Duration.ofSeconds(61));
            assertThat(browser.submit(codePage, "/login/phone", Map.of("method", "otp")).status()).isEqualTo(200);
        }
        assertThat(server.outbox(phone)).hasSize(5);
        server.clock.advance(Duration.ofSeconds(61));
        Browser.Page refused = browser.submit(codePage, "/login/phone", Map.of("method", "otp"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.text()).contains("Too many codes were sent to this number");
        // The first of the five codes was sent 305 s ago: the next one is allowed when it is an hour old.
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3294L, 3296L);
        assertThat(server.outbox(phone)).hasSize(5);
        // The limit is per phone, not per browser.
        Browser other = server.browser();
        assertThat(other.submit(other.get(link()), "/login/phone", Map.of("phone", phone, "method", "otp")).status())
                .isEqualTo(429);
        server.clock.advance(Duration.ofMinutes(60));
        codePage(browser, phone);
        assertThat(server.outbox(phone)).hasSize(6);
    }

    @Test
    void wrongPasswordAndUnknownPhoneGetTheSameGeneric401Page() {
        var user = Flows.user(server, "right-password-1");
        Browser browser = server.browser();
        Browser.Page phonePage = browser.get(link());
        Browser.Page passwordPage = browser.submit(phonePage, "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        Browser.Page wrong = browser.submit(passwordPage, "/login/password", Map.of("password", "wrong-password-1"));
        Browser.Page unknown = browser.submit(passwordPage, "/login/password",
                Map.of("phone", Flows.newPhone(), "password", "right-password-1"));
        for (Browser.Page page : List.of(wrong, unknown)) {
            assertThat(page.status()).isEqualTo(401);
            assertThat(page.document().select(".error").text()).isEqualTo("Wrong phone number or password.");
            assertThat(page.location()).isNull();
        }
    }

    @Test
    void repeatedPasswordFailuresLockThePhoneWithGrowingDelays() {
        var user = Flows.user(server, "right-password-2");
        Browser browser = server.browser();
        Browser.Page passwordPage = browser.submit(browser.get(link()), "/login/phone",
                Map.of("phone", user.phone(), "method", "password"));
        for (int i = 1; i <= 5; i++) {
            assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "guess-" + i)).status()).isEqualTo(401);
        }
        Browser.Page locked = browser.submit(passwordPage, "/login/password", Map.of("password", "right-password-2"));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.text()).contains("Too many failed attempts");
        // Another browser is locked out too: the lock belongs to the phone.
        Browser other = server.browser();
        Browser.Page otherPassword = other.submit(other.get(link()), "/login/phone",
                Map.of("phone", user.phone(), "method", "password"));
        assertThat(other.submit(otherPassword, "/login/password", Map.of("password", "right-password-2")).status())
                .isEqualTo(429);

        server.clock.advance(Duration.ofSeconds(31));
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "guess-6")).status()).isEqualTo(401);
        server.clock.advance(Duration.ofSeconds(31));
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "right-password-2")).status())
                .as("second lock lasts longer than the first").isEqualTo(429);
        server.clock.advance(Duration.ofSeconds(30));
        Browser.Page ok = browser.submit(passwordPage, "/login/password", Map.of("password", "right-password-2"));
        assertThat(ok.status()).isEqualTo(303);
        assertThat(ok.location()).startsWith("/login/consent");
    }
}
