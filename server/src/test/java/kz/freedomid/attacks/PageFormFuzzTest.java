package kz.freedomid.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of every HTML form post of the hosted pages, the account page and the demo partner, from a
 * browser with a valid session and CSRF token: each field of the form is missing, present once or twice, with a valid
 * value or a hostile one (huge, control characters, invalid UTF-8 as raw bytes, Unicode digits, SQL and HTML
 * metacharacters), plus unknown extra fields. Never a 5xx, never a stack trace, exception or SQL text in the page, and a
 * refused post (4xx) changes nothing in the database. Tries: a bounded budget for CI ({@link #TRIES}, and fewer for the
 * forms where a try costs an Argon2id hash or a new sign-in); {@code -Dpagefuzz.tries=N} (scripts/fuzz-long.sh) sets
 * every property's tries to N.
 */
@AddLifecycleHook(value = PageFormFuzzTest.Budget.class, propagateTo = PropagationMode.DIRECT_DESCENDANTS)
class PageFormFuzzTest {
    /** {@code -Dpagefuzz.tries=N} overrides the tries of every property of this class (a longer run than CI's). */
    static final class Budget implements AroundPropertyHook {
        @Override
        public PropagationMode propagateTo() {
            return PropagationMode.DIRECT_DESCENDANTS; // a hook on a class reaches its properties only so
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            String tries = System.getProperty("pagefuzz.tries");
            if (tries != null && !tries.isBlank()) context.attributes().setTries(Integer.parseInt(tries.strip()));
            return property.execute();
        }
    }

    private static final String PASSWORD = "fuzz pass phrase 42";
    /** CI's budget per property (the whole class stays under about 40 s per database); see {@link Budget}. */
    private static final int TRIES = 30;
    private static final int COSTLY_TRIES = 10;

    static TestServer server;
    static Flows.TestPartner partner;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE);
        for (Form form : List.of(PHONE, CODE, PASSWORD_FORM, SIGNUP, CONSENT, PROFILE, ACCOUNT_PASSWORD, SESSION_END,
                PARTNER_REVOKE, LOGOUT, DEMO)) {
            form.current = null; // fixtures belong to one server
        }
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    // --- Fixtures: a browser at the page that holds the form ---

    /** The browser's session cookie and the form's hidden fields (csrf, track_id, …) as the page served them. */
    record Fixture(Browser browser, String action, Map<String, String> hidden) {
        static Fixture of(Browser browser, Browser.Page page, String action) {
            assertThat(page.status()).as(page.body()).isIn(200, 410);
            Map<String, String> hidden = new HashMap<>();
            for (var input : page.form(action).select("input[type=hidden]")) hidden.put(input.attr("name"), input.attr("value"));
            assertThat(hidden).containsKey("csrf");
            return new Fixture(browser, action, hidden);
        }
    }

    /** A form and the fixture it is posted from; a fixture is made anew after a post that moved the browser on. */
    static final class Form {
        final String action;
        final Supplier<Fixture> setup;
        Fixture current;

        Form(String action, Supplier<Fixture> setup) {
            this.action = action;
            this.setup = setup;
        }

        Fixture fixture() {
            if (current == null) current = setup.get();
            return current;
        }
    }

    static Browser browser() {
        return server.browser().acceptLanguage("en");
    }

    static String link() {
        return Flows.loginLink(server, partner, List.of("read.firstname"), null);
    }

    static Browser.Page codePage(Browser browser, String phone) {
        Browser.Page phonePage = browser.get(link());
        return browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
    }

    /**
     * A new user signed in to /account with an SMS code (one code: a phone gets one a minute), who then consented to
     * {@link #partner} in the same browser and holds a token pair.
     */
    static Browser.Page account(Browser browser, String password) {
        User user = Flows.user(server, password);
        Browser.Page toLogin = browser.get("/account");
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        Browser.Page signedIn = Flows.signInWithCode(server, browser, toLogin.location(), user.phone());
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        Browser.Page consentRedirect = browser.get(link());
        assertThat(consentRedirect.status()).as(consentRedirect.body()).isEqualTo(303);
        Browser.Page consent = browser.follow(consentRedirect);
        Browser.Page approved = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(303);
        Flows.exchange(server, partner, Flows.query(approved.location()).get("authorization_code"));
        Browser.Page home = browser.get("/account");
        assertThat(home.status()).as(home.body()).isEqualTo(200);
        return home;
    }

    static final Form PHONE = new Form("/login/phone", () -> {
        Browser b = browser();
        return Fixture.of(b, b.get(link()), "/login/phone");
    });
    static final Form CODE = new Form("/login/code", () -> {
        Browser b = browser();
        return Fixture.of(b, codePage(b, Flows.newPhone()), "/login/code");
    });
    static final Form PASSWORD_FORM = new Form("/login/password", () -> {
        Browser b = browser();
        User user = Flows.user(server, PASSWORD);
        Browser.Page page = b.submit(b.get(link()), "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        return Fixture.of(b, page, "/login/password");
    });
    static final Form SIGNUP = new Form("/login/signup", () -> {
        Browser b = browser();
        String phone = Flows.newPhone();
        Browser.Page page = b.submit(codePage(b, phone), "/login/code", Map.of("code", server.outbox(phone).get(0).code()));
        return Fixture.of(b, page, "/login/signup");
    });
    static final Form CONSENT = new Form("/login/consent", () -> {
        Browser b = browser();
        User user = Flows.user(server, null);
        Browser.Page redirect = Flows.signInWithCode(server, b, link(), user.phone());
        return Fixture.of(b, b.follow(redirect), "/login/consent");
    });
    static final Form PROFILE = new Form("/account/profile", () -> {
        Browser b = browser();
        account(b, null);
        return Fixture.of(b, b.get("/account/profile"), "/account/profile");
    });
    static final Form ACCOUNT_PASSWORD = new Form("/account/password", () -> {
        Browser b = browser();
        return Fixture.of(b, account(b, PASSWORD), "/account/password");
    });
    static final Form SESSION_END = new Form("/account/sessions/end", () -> {
        Browser b = browser();
        return Fixture.of(b, account(b, null), "/account/sessions/end");
    });
    static final Form PARTNER_REVOKE = new Form("/account/partners/revoke", () -> {
        Browser b = browser();
        return Fixture.of(b, account(b, null), "/account/partners/revoke");
    });
    static final Form LOGOUT = new Form("/account/logout", () -> {
        Browser b = browser();
        return Fixture.of(b, account(b, null), "/account/logout");
    });
    static final Form DEMO = new Form("/demo/start", () -> {
        Browser b = browser();
        return Fixture.of(b, b.get("/demo"), "/demo/start");
    });

    // --- Generators ---

    /** Text that is hostile to a form handler, already form-encoded (so raw bytes can be invalid UTF-8). */
    static Arbitrary<byte[]> hostile() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(40),
                Arbitraries.strings().withChars("+0123456789").ofMaxLength(20),
                Arbitraries.strings().withChars("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９+").ofMinLength(1).ofMaxLength(16),
                Arbitraries.strings().withChars("'\";-/*<>&%_\\()=` \u0000\r\n\t").ofMaxLength(20),
                Arbitraries.of("", " ", "' OR '1'='1", "'; DROP TABLE users; --", "<script>alert(1)</script>",
                        "\"><img src=x onerror=alert(1)>", "%00", "\u0000", "\uFEFF", "\u202E", "\uD800", "approve", "deny",
                        "otp", "password", "+77012345678", "+7 701 234 56 78", "00000000-0000-0000-0000-000000000000",
                        "1990-02-30", "1990-05-17", "F", "M", "X", "KAZ", "ZZZ", "a@b.c", "x@", PASSWORD, "new pass phrase 99"),
                Arbitraries.integers().between(100, 70_000).map(n -> "A".repeat(n)));
        Arbitrary<byte[]> encoded = text.map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> percentBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(24).map(raw -> {
            StringBuilder out = new StringBuilder();
            for (byte b : raw) out.append('%').append(String.format("%02X", b & 0xff));
            return out.toString().getBytes(StandardCharsets.US_ASCII);
        });
        Arbitrary<byte[]> rawBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(24)
                .map(raw -> { // anything but the separators, sent as they are (invalid UTF-8 and all)
                    for (int i = 0; i < raw.length; i++) if (raw[i] == '&' || raw[i] == '=') raw[i] = (byte) 0xC3;
                    return raw;
                });
        return Arbitraries.frequencyOf(Tuple.of(6, encoded), Tuple.of(2, percentBytes), Tuple.of(2, rawBytes));
    }

    /** How many times a field is sent: 0 (missing), 1, or 2 (duplicated). */
    static Arbitrary<List<byte[]>> occurrences(byte[] valid) {
        Arbitrary<byte[]> one = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(valid)), Tuple.of(7, hostile()));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.of())), Tuple.of(7, one.list().ofSize(1)),
                Tuple.of(2, one.list().ofSize(2)));
    }

    /** A body: csrf and track_id (valid) first, then each fuzzed field, then up to two unknown fields. */
    static Arbitrary<List<Map.Entry<String, byte[]>>> fields(Map<String, String> validValues) {
        List<String> names = List.copyOf(validValues.keySet());
        List<Arbitrary<List<byte[]>>> each = new ArrayList<>();
        for (String name : names) {
            each.add(occurrences(URLEncoder.encode(validValues.get(name), StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII)));
        }
        Arbitrary<List<List<byte[]>>> values = each.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(each).as(l -> l);
        Arbitrary<List<Map.Entry<String, byte[]>>> extras = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of("csrf", "track_id", "phone", "x", "", "__proto__", "decision[]"),
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)), hostile())
                .as((k, v) -> Map.entry(k, v)).list().ofMaxSize(2);
        return Combinators.combine(values, extras).as((v, extra) -> {
            List<Map.Entry<String, byte[]>> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                for (byte[] value : v.get(i)) out.add(Map.entry(names.get(i), value));
            }
            out.addAll(extra);
            return out;
        });
    }

    // --- Checks ---

    /** What a form post could change (users, sessions, tracks, codes, tokens, consents, contacts), minus last-seen times. */
    static String snapshot() {
        return server.app.database.jdbi().withHandle(h -> String.join("\n",
                h.createQuery("SELECT id, phone, firstname, lastname, patronymic, email, date_of_birth, gender, country, "
                        + "nationality, password_hash, status FROM users ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT id, user_id, pending_phone, auth_time, ended_at FROM web_sessions ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT id, finished_at FROM login_tracks ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT user_id, client_id, grants FROM consents ORDER BY user_id, client_id").mapToMap().list().toString(),
                h.createQuery("SELECT id, revoked_at FROM token_pairs ORDER BY id").mapToMap().list().toString(),
                h.createQuery("SELECT user_id, phone FROM user_phones ORDER BY user_id, phone").mapToMap().list().toString(),
                h.createQuery("SELECT user_id, email FROM user_emails ORDER BY user_id, email").mapToMap().list().toString(),
                h.createQuery("SELECT COUNT(*) FROM otp_challenges").mapTo(Long.class).one().toString(),
                h.createQuery("SELECT COUNT(*) FROM auth_codes").mapTo(Long.class).one().toString()));
    }

    /** Posts the fuzzed body from the form's browser; no 5xx, no leak, nothing changed when refused. */
    static void post(Form form, List<Map.Entry<String, byte[]>> fuzzed) {
        Fixture fixture = form.fixture();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String name : List.of("csrf", "track_id")) {
            String value = fixture.hidden().get(name);
            if (value != null) append(body, name.getBytes(StandardCharsets.US_ASCII),
                    URLEncoder.encode(value, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, byte[]> field : fuzzed) {
            append(body, URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII), field.getValue());
        }
        var cookie = fixture.browser().cookie("fid_session");
        String before = snapshot();
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl + form.action))
                    .timeout(Duration.ofSeconds(30)).header("Accept-Language", "en")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", cookie == null ? "" : "fid_session=" + cookie.getValue())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // A body over the 64 KiB limit may be refused before it is read; the connection is closed, not answered 5xx.
            assertThat(body.size()).as("no answer to a %d-byte body: %s", body.size(), e).isGreaterThan(64 * 1024);
            assertThat(snapshot()).isEqualTo(before);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String shown = form.action + " " + new String(body.toByteArray(), 0, Math.min(body.size(), 600), StandardCharsets.ISO_8859_1);
        assertThat(response.statusCode()).as("%s\n→ %s", shown, response.body()).isLessThan(500);
        InputAttackTest.assertNoLeak(response.body());
        if (response.statusCode() >= 400) {
            assertThat(snapshot()).as("refused (%d) but changed: %s", response.statusCode(), shown).isEqualTo(before);
        }
        int status = response.statusCode();
        boolean movedOn = switch (form.action) {
            case "/account/logout", "/account/sessions/end" -> status == 200; // signed out: the goodbye page
            case "/account/password" -> status / 100 == 3; // changed: the fixture's password is no longer the valid value
            default -> form.action.startsWith("/login/") && status / 100 == 3; // signed in, consented or declined
        };
        if (movedOn) form.current = null; // a new fixture for the next try
    }

    private static void append(ByteArrayOutputStream body, byte[] name, byte[] value) {
        if (body.size() > 0) body.write('&');
        body.writeBytes(name);
        body.write('=');
        body.writeBytes(value);
    }

    // --- Properties: one per form ---

    /** Found by this fuzzer: the 413 page for an oversized form read the body again for its language links (a 500). */
    @Example
    void accountProfileWhenBodyOver64KiBThen413PageNot500() {
        Fixture fixture = PROFILE.fixture();
        Browser.Page page = fixture.browser().post("/account/profile", Map.of("csrf", fixture.hidden().get("csrf"),
                "patronymic", "A".repeat(70_000)));
        assertThat(page.status()).as(page.body()).isEqualTo(413);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        InputAttackTest.assertNoLeak(page.body());
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> phoneForms() {
        return fields(Map.of("phone", "+77019998877", "method", "password"));
    }

    @Property(tries = TRIES)
    void loginPhoneWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("phoneForms") List<Map.Entry<String, byte[]>> f) {
        post(PHONE, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> codeForms() {
        return fields(Map.of("phone", "+77019998877", "code", "123456"));
    }

    @Property(tries = TRIES)
    void loginCodeWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("codeForms") List<Map.Entry<String, byte[]>> f) {
        post(CODE, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> passwordForms() {
        return fields(Map.of("phone", "+77019998877", "password", "not the password"));
    }

    @Property(tries = COSTLY_TRIES) // every wrong password costs an Argon2id hash
    void loginPasswordWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("passwordForms") List<Map.Entry<String, byte[]>> f) {
        post(PASSWORD_FORM, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> signupForms() {
        return fields(Map.of("firstname", "Dana", "lastname", "Serikova"));
    }

    @Property(tries = COSTLY_TRIES) // an accepted sign-up needs a new SMS sign-in for the next try
    void signupWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("signupForms") List<Map.Entry<String, byte[]>> f) {
        post(SIGNUP, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> consentForms() {
        return fields(Map.of("decision", "approve"));
    }

    @Property(tries = COSTLY_TRIES) // every decision ends the sign-in
    void consentWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("consentForms") List<Map.Entry<String, byte[]>> f) {
        post(CONSENT, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> profileForms() {
        Map<String, String> valid = new java.util.LinkedHashMap<>();
        valid.put("firstname", "Dana");
        valid.put("lastname", "Serikova");
        valid.put("patronymic", "");
        valid.put("date_of_birth", "1990-05-17");
        valid.put("gender", "F");
        valid.put("country", "KAZ");
        valid.put("nationality", "Kazakh");
        valid.put("email", "dana@example.com");
        valid.put("phones", "+77011112233\n+77011112244");
        valid.put("emails", "d1@example.com\nd2@example.com");
        return fields(valid);
    }

    @Property(tries = TRIES)
    void accountProfileWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("profileForms") List<Map.Entry<String, byte[]>> f) {
        post(PROFILE, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> accountPasswordForms() {
        return fields(Map.of("current_password", PASSWORD, "new_password", PASSWORD));
    }

    @Property(tries = COSTLY_TRIES) // Argon2id on every try
    void accountPasswordWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(
            @ForAll("accountPasswordForms") List<Map.Entry<String, byte[]>> f) {
        post(ACCOUNT_PASSWORD, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> sessionForms() {
        return fields(Map.of("session_id", "00000000-0000-4000-8000-000000000000"));
    }

    @Property(tries = TRIES)
    void accountSessionEndWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("sessionForms") List<Map.Entry<String, byte[]>> f) {
        post(SESSION_END, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> partnerForms() {
        return fields(Map.of("client_id", partner.clientId()));
    }

    @Property(tries = COSTLY_TRIES) // a revoked partner needs a new consent for the next try
    void accountPartnerRevokeWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(
            @ForAll("partnerForms") List<Map.Entry<String, byte[]>> f) {
        post(PARTNER_REVOKE, f);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, byte[]>>> noFields() {
        return fields(Map.of());
    }

    @Property(tries = COSTLY_TRIES) // every accepted post signs the browser out
    void accountLogoutWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("noFields") List<Map.Entry<String, byte[]>> f) {
        post(LOGOUT, f);
    }

    @Property(tries = TRIES)
    void demoStartWhenFieldsHostileThenNo5xxNoLeakNoChangeOnRefusal(@ForAll("noFields") List<Map.Entry<String, byte[]>> f) {
        post(DEMO, f);
    }
}
