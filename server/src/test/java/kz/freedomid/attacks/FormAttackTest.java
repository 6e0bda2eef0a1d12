package kz.freedomid.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import kz.freedomid.account.AccountPageTest;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hosted pages and the account page against CSRF (RFC 9700 §4.7, every form post), clickjacking (RFC 9700
 * §4.16: every HTML page forbids framing), user enumeration through sign-in messages, and phone numbers written with
 * non-ASCII digits.
 */
class FormAttackTest {
    private static final String PASSWORD = "correct horse 42";

    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Everything a form post could change, minus last-seen times. */
    static String snapshot() {
        return server.app.database.jdbi().withHandle(h -> String.join("\n",
                h.createQuery("SELECT id, phone, firstname, lastname, email, password_hash, status FROM users ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT id, user_id, pending_phone, auth_time, ended_at FROM web_sessions ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT id, finished_at FROM login_tracks ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT user_id, client_id, grants FROM consents ORDER BY user_id, client_id").mapToMap().list().toString(),
                h.createQuery("SELECT id, revoked_at FROM token_pairs ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT COUNT(*) FROM otp_challenges").mapTo(Long.class).one().toString(),
                h.createQuery("SELECT COUNT(*) FROM auth_codes").mapTo(Long.class).one().toString()));
    }

    record FormCase(Browser browser, Browser.Page page, String action, Map<String, String> fields) {}

    private static FormCase phonePage() {
        Browser browser = server.browser().acceptLanguage("en");
        Browser.Page page = browser.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        return new FormCase(browser, page, "/login/phone", Map.of("phone", Flows.newPhone(), "method", "otp"));
    }

    private static FormCase codePage() {
        FormCase phone = phonePage();
        String number = phone.fields().get("phone");
        Browser.Page page = phone.browser().submit(phone.page(), "/login/phone", phone.fields());
        return new FormCase(phone.browser(), page, "/login/code", Map.of("code", server.outbox(number).get(0).code()));
    }

    private static FormCase passwordPage() {
        User user = Flows.user(server, PASSWORD);
        FormCase phone = phonePage();
        Browser.Page page = phone.browser().submit(phone.page(), "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        return new FormCase(phone.browser(), page, "/login/password", Map.of("password", PASSWORD));
    }

    private static FormCase signupPage() {
        FormCase code = codePage();
        Browser.Page page = code.browser().submit(code.page(), "/login/code", code.fields());
        return new FormCase(code.browser(), page, "/login/signup", Map.of("firstname", "Mallory", "lastname", "Evil"));
    }

    private static FormCase consentPage() {
        User user = Flows.user(server, PASSWORD);
        Browser browser = server.browser().acceptLanguage("en");
        Browser.Page redirect = Flows.signInWithCode(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        Browser.Page page = browser.follow(redirect);
        return new FormCase(browser, page, "/login/consent", Map.of("decision", "approve"));
    }

    /** A user who consented to {@link #partner} and holds a token pair, signed in to /account. */
    private static FormCase account(String action, Function<Browser.Page, Map<String, String>> fields) {
        User user = Flows.user(server, PASSWORD);
        Browser browser = server.browser().acceptLanguage("en");
        String location = Flows.approvedRedirect(server, browser,
                Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        Flows.exchange(server, partner, Flows.query(location).get("authorization_code"));
        browser.clearCookies();
        Browser.Page page = AccountPageTest.signInToAccount(browser, user, PASSWORD);
        if (action.equals("/account/profile")) page = browser.get("/account/profile");
        return new FormCase(browser, page, action, fields.apply(page));
    }

    /** A signed-in browser at the RP-initiated logout confirmation (contract 4.5). */
    private static FormCase logoutConfirmation() {
        User user = Flows.user(server, PASSWORD);
        Browser browser = server.browser().acceptLanguage("en");
        Flows.approvedRedirect(server, browser, Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        Browser.Page page = browser.get("/api/v1/oidc/logout");
        return new FormCase(browser, page, "/api/v1/oidc/logout", Map.of());
    }

    /** The page of a link that expired before the user finished: its button returns to the partner (contract 3.2). */
    private static FormCase expiredPage() {
        Browser browser = server.browser().acceptLanguage("en");
        String link = Flows.loginLink(server, partner, List.of("read.firstname"), null);
        browser.get(link); // the session exists, as it would for a user who opened the link in time
        server.clock.advance(java.time.Duration.ofMinutes(16));
        Browser.Page page = browser.get(link);
        return new FormCase(browser, page, "/login/expired", Map.of());
    }

    /** The demo partner's start button (development mode only): a successful post creates a login track. */
    private static FormCase demoStart() {
        Browser browser = server.browser().acceptLanguage("en");
        return new FormCase(browser, browser.get("/demo"), "/demo/start", Map.of());
    }

    static Stream<Arguments> forms() {
        return Stream.of(
                Arguments.of("login expired", (Supplier<FormCase>) FormAttackTest::expiredPage),
                Arguments.of("demo start", (Supplier<FormCase>) FormAttackTest::demoStart),
                Arguments.of("login phone", (Supplier<FormCase>) FormAttackTest::phonePage),
                Arguments.of("login code", (Supplier<FormCase>) FormAttackTest::codePage),
                Arguments.of("login password", (Supplier<FormCase>) FormAttackTest::passwordPage),
                Arguments.of("login signup", (Supplier<FormCase>) FormAttackTest::signupPage),
                Arguments.of("login consent", (Supplier<FormCase>) FormAttackTest::consentPage),
                Arguments.of("account profile", (Supplier<FormCase>) () ->
                        account("/account/profile", p -> Map.of("firstname", "Mallory"))),
                Arguments.of("account partner revoke", (Supplier<FormCase>) () ->
                        account("/account/partners/revoke", p -> Map.of())),
                Arguments.of("account session end", (Supplier<FormCase>) () ->
                        account("/account/sessions/end", p -> Map.of())),
                Arguments.of("account password", (Supplier<FormCase>) () ->
                        account("/account/password", p -> Map.of("current_password", PASSWORD, "new_password", "mallory was here 99"))),
                Arguments.of("account logout", (Supplier<FormCase>) () ->
                        account("/account/logout", p -> Map.of())),
                Arguments.of("oidc logout confirmation", (Supplier<FormCase>) FormAttackTest::logoutConfirmation));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void formPostWhenCsrfMissingOrWrongThen403AndNothingChanged(String name, Supplier<FormCase> setup) {
        FormCase form = setup.get();
        assertThat(form.page().status()).as(form.page().body()).isEqualTo(form.action().equals("/login/expired") ? 410 : 200);
        assertThat(form.page().form(form.action()).selectFirst("input[name=csrf]")).as("form has a csrf field").isNotNull();
        String good = form.page().form(form.action()).selectFirst("input[name=csrf]").val();
        // A valid token of another browser's session (one the attacker holds for himself) is as foreign as a forged one.
        Browser.Page attackers = server.browser().get("/demo");
        String foreign = attackers.form("/demo/start").selectFirst("input[name=csrf]").val();
        assertThat(foreign).isNotEqualTo(good);
        String before = snapshot();
        for (String csrf : new String[] {null, "", "forged", good + "x", good.substring(1), foreign}) {
            Map<String, String> fields = new HashMap<>();
            for (var input : form.page().form(form.action()).select("input[name]")) fields.put(input.attr("name"), input.attr("value"));
            fields.putAll(form.fields());
            fields.put("csrf", csrf);
            Browser.Page rejected = form.browser().post(form.action(), fields);
            if (form.action().equals("/api/v1/oidc/logout")) {
                // An OIDC endpoint that relying parties also POST to without a token (OIDC RP-Initiated Logout §2):
                // it asks again for confirmation instead of refusing.
                assertThat(rejected.status()).as("%s csrf=%s: %s", name, csrf, rejected.body()).isEqualTo(200);
                assertThat(rejected.form(form.action())).isNotNull();
            } else {
                assertThat(rejected.status()).as("%s csrf=%s: %s", name, csrf, rejected.body()).isEqualTo(403);
            }
            assertThat(rejected.location()).isNull();
        }
        assertThat(snapshot()).as(name).isEqualTo(before);
        // The same post with the page's own token is accepted, so the refusal above was the token's doing.
        Browser.Page accepted = form.browser().submit(form.page(), form.action(), form.fields());
        assertThat(accepted.status()).as(accepted.body()).isNotEqualTo(403);
    }

    @Test
    void htmlPagesWhenServedThenFramingForbidden() {
        FormCase consent = consentPage();
        FormCase password = passwordPage();
        FormCase account = account("/account/logout", p -> Map.of());
        List<Browser.Page> pages = List.of(
                phonePage().page(), codePage().page(), password.page(), signupPage().page(), consent.page(), account.page(),
                account.browser().get("/account/profile"),
                password.browser().submit(password.page(), "/login/password", Map.of("password", "wrong password 1")),
                server.browser().get("/login?track_id=00000000-0000-0000-0000-000000000000&expire_at=1"),
                server.browser().get("/openid?client_id=nobody"),
                server.browser().get("/demo"),
                server.browser().get("/api/docs"),
                server.browser().get("/api/v1/oidc/logout"),
                server.browser().get("/no/such/page"));
        for (Browser.Page page : pages) {
            String type = page.header("Content-Type");
            if (type == null || !type.startsWith("text/html")) continue;
            assertThat(page.header("X-Frame-Options")).as(page.body()).isEqualTo("DENY");
            assertThat(page.header("Content-Security-Policy")).as(page.body()).contains("frame-ancestors 'none'");
        }
        assertThat(pages.stream().filter(p -> String.valueOf(p.header("Content-Type")).startsWith("text/html")).count())
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void passwordPageWhenUnknownPhoneOrWrongPasswordThenSameStatusAndMessage() {
        User user = Flows.user(server, PASSWORD);
        FormCase known = phonePage();
        Browser.Page knownPassword = known.browser().submit(known.page(), "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        FormCase unknown = phonePage();
        Browser.Page unknownPassword = unknown.browser().submit(unknown.page(), "/login/phone", Map.of("phone", Flows.newPhone(), "method", "password"));
        assertThat(unknownPassword.status()).isEqualTo(knownPassword.status());
        assertThat(unknownPassword.document().select("form").size()).isEqualTo(knownPassword.document().select("form").size());

        Browser.Page wrong = known.browser().submit(knownPassword, "/login/password", Map.of("password", "wrong password 1"));
        Browser.Page absent = unknown.browser().submit(unknownPassword, "/login/password", Map.of("password", "wrong password 1"));
        assertThat(absent.status()).isEqualTo(wrong.status()).isEqualTo(401);
        String wrongError = wrong.document().select(".error, [role=alert]").text();
        assertThat(wrongError).isNotBlank();
        assertThat(absent.document().select(".error, [role=alert]").text()).isEqualTo(wrongError);
    }

    /** Milliseconds the password post takes for {@code phone} with a wrong password, each try on a fresh track. */
    private static long passwordPostMillis(String phone) {
        FormCase form = phonePage();
        Browser.Page page = form.browser().submit(form.page(), "/login/phone", Map.of("phone", phone, "method", "password"));
        long start = System.nanoTime();
        Browser.Page wrong = form.browser().submit(page, "/login/password", Map.of("password", "wrong password 1"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(wrong.status()).isEqualTo(401);
        return millis;
    }

    /**
     * Timing: an unknown phone costs a password hash too, so it answers as slowly as a wrong password. The bound is
     * loose (medians within a factor of 2) for a shared CI machine, yet catches a skipped Argon2id.
     */
    @Test
    void passwordPageWhenUnknownPhoneThenAsSlowAsWrongPassword() {
        passwordPostMillis(Flows.newPhone());
        passwordPostMillis(Flows.user(server, PASSWORD).phone());
        List<Long> unknown = new java.util.ArrayList<>();
        List<Long> known = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            unknown.add(passwordPostMillis(Flows.newPhone()));
            known.add(passwordPostMillis(Flows.user(server, PASSWORD).phone())); // a new user each time: no lockout
        }
        long u = unknown.stream().sorted().toList().get(3);
        long k = known.stream().sorted().toList().get(3);
        assertThat(u * 2).as("unknown %s vs known %s", unknown, known).isGreaterThanOrEqualTo(k);
        assertThat(k * 2).as("unknown %s vs known %s", unknown, known).isGreaterThanOrEqualTo(u);
    }

    static Stream<Arguments> unicodePhones() {
        return Stream.of(
                Arguments.of("Arabic-Indic digits", "+\u0667\u0667\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"),
                Arguments.of("Extended Arabic-Indic digits", "+\u06f7\u06f7\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8"),
                Arguments.of("fullwidth digits", "+\uff17\uff17\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"),
                Arguments.of("fullwidth plus", "\uff0b77012345678"),
                Arguments.of("Devanagari digits", "+\u096d\u096d\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e"),
                Arguments.of("letter O for zero", "+77O12345678"),
                Arguments.of("mathematical bold digits", "+\uD835\uDFD5\uD835\uDFD5\uD835\uDFCE\uD835\uDFCF\uD835\uDFD0\uD835\uDFD1\uD835\uDFD2\uD835\uDFD3\uD835\uDFD4\uD835\uDFD5\uD835\uDFD6"),
                Arguments.of("zero-width space inside", "+7701\u200b2345678"),
                Arguments.of("non-breaking space inside", "+7701\u00a02345678"),
                Arguments.of("right-to-left mark", "\u200f+77012345678"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unicodePhones")
    void signInWhenPhoneHasNonAsciiDigitsOrLookAlikesThenRefusedAndNoCodeSent(String name, String phone) {
        FormCase form = phonePage();
        String before = snapshot();
        Browser.Page page = form.browser().submit(form.page(), "/login/phone", Map.of("phone", phone, "method", "otp"));
        assertThat(page.status()).as(page.body()).isEqualTo(422);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(server.outbox("+77012345678")).isEmpty();
    }
}
