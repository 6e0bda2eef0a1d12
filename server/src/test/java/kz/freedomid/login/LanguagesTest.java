package kz.freedomid.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import kz.freedomid.platform.web.Pages;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pages in Russian, Kazakh and English: Accept-Language, the ?lang= switcher and its cookie (contract 5). */
class LanguagesTest {
    static final List<String> LANGS = List.of("ru", "kk", "en");
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

    static Properties messages(String lang) {
        try (var in = LanguagesTest.class.getResourceAsStream("/i18n/messages_" + lang + ".properties")) {
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String t(String lang, String key) {
        return messages(lang).getProperty(key);
    }

    static String link() {
        return Flows.loginLink(server, partner, List.of("read.firstname", "read.phone"), null);
    }

    static void assertLanguage(Browser.Page page, String lang, String titleKey) {
        assertThat(page.document().selectFirst("html").attr("lang")).as(page.body()).isEqualTo(lang);
        assertThat(page.document().selectFirst("h1").text()).isEqualTo(t(lang, titleKey));
        assertThat(page.document().selectFirst(".langs [aria-current=true]").attr("lang")).isEqualTo(lang);
    }

    @Test
    void signupWhenLanguageSwitchedAfterTheCodeThenTheSignupFormStays() {
        Browser browser = server.browser().acceptLanguage("en");
        String link = link();
        Browser.Page signup = Flows.signInWithCode(server, browser, link, Flows.newPhone());
        assertThat(signup.document().selectFirst("form[action=/login/signup]")).isNotNull();
        Browser.Page switched = browser.get(link + "&lang=kk");
        assertLanguage(switched, "kk", "login.signup.title");
        Browser.Page done = browser.submit(switched, "/login/signup", Map.of("firstname", "Asel", "lastname", "Omarova"));
        assertThat(done.status()).isEqualTo(303);
    }

    @Test
    void acceptLanguagePicksThePageLanguage() {
        Map<String, String> cases = Map.of("kk", "kk", "ru", "ru", "en", "en", "kk-KZ,ru;q=0.8", "kk",
                "ru-RU,ru;q=0.9,en;q=0.8", "ru", "en-GB", "en", "de-DE,de;q=0.9,kk;q=0.5", "kk", "fr", "ru");
        String link = link();
        cases.forEach((header, lang) -> {
            Browser.Page page = server.browser().acceptLanguage(header).get(link);
            assertThat(page.status()).isEqualTo(200);
            assertLanguage(page, lang, "login.title");
        });
        assertThat(server.browser().acceptLanguage("kk").get(link).text()).contains(t("kk", "login.phone.get_code"));
    }

    @Test
    void langParameterSwitchesAndTheChoiceIsRememberedByCookie() {
        Browser browser = server.browser().acceptLanguage("en");
        String link = link();
        Browser.Page switched = browser.get(link + "&lang=kk");
        assertLanguage(switched, "kk", "login.title");
        assertThat(switched.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith(Pages.LANG_COOKIE + "=kk"));

        Browser.Page next = browser.get(link);
        assertLanguage(next, "kk", "login.title");
        Browser.Page code = browser.submit(next, "/login/phone", Map.of("phone", Flows.newPhone(), "method", "otp"));
        assertLanguage(code, "kk", "login.code.title");

        assertLanguage(browser.get(link + "&lang=ru"), "ru", "login.title");
        assertLanguage(browser.get(link), "ru", "login.title");
        assertLanguage(server.browser().acceptLanguage("en").get(link), "en", "login.title");
    }

    @Test
    void switcherLinksKeepTheLoginTrackOnGetAndPostPages() {
        Browser browser = server.browser().acceptLanguage("ru");
        String link = link();
        Browser.Page phonePage = browser.get(link);
        String kkHref = phonePage.document().selectFirst(".langs a[lang=kk]").attr("href");
        assertThat(kkHref).contains("track_id=" + Flows.query(link).get("track_id")).contains("lang=kk");
        assertLanguage(browser.get(kkHref), "kk", "login.title");

        String phone = Flows.newPhone();
        Browser.Page code = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
        String enHref = code.document().selectFirst(".langs a[lang=en]").attr("href");
        Browser.Page english = browser.get(enHref);
        assertThat(english.status()).as(enHref).isEqualTo(200);
        assertLanguage(english, "en", "login.title");
        // Back on the phone page, asking again shows the code page and the code already sent still works.
        Browser.Page again = browser.submit(english, "/login/phone", Map.of("phone", phone, "method", "otp"));
        assertLanguage(again, "en", "login.code.title");
        assertThat(server.outbox(phone)).hasSize(1);
        Browser.Page signup = browser.submit(again, "/login/code", Map.of("code", server.outbox(phone).get(0).code()));
        assertLanguage(signup, "en", "login.signup.title");
    }

    @Test
    void everyPageRendersInEveryLanguage() {
        for (String lang : LANGS) {
            Browser browser = server.browser().acceptLanguage(lang);
            String phone = Flows.newPhone();
            String link = link();
            List<Map.Entry<Browser.Page, String>> pages = new ArrayList<>();
            Browser.Page phonePage = browser.get(link);
            pages.add(Map.entry(phonePage, "login.title"));
            pages.add(Map.entry(browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "password")),
                    "login.password.title"));
            Browser.Page code = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
            pages.add(Map.entry(code, "login.code.title"));
            Browser.Page signup = browser.submit(code, "/login/code", Map.of("code", server.outbox(phone).get(0).code()));
            pages.add(Map.entry(signup, "login.signup.title"));
            Browser.Page consent = browser.follow(browser.submit(signup, "/login/signup",
                    Map.of("firstname", "A", "lastname", "B")));
            pages.add(Map.entry(consent, "consent.title"));
            browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
            pages.add(Map.entry(browser.get(link), "error.title"));
            pages.add(Map.entry(browser.get("/login?track_id=" + UUID.randomUUID()), "error.title"));
            pages.add(Map.entry(browser.get("/nothing-here"), "error.title"));
            for (var entry : pages) {
                assertThat(entry.getKey().status()).isLessThan(500);
                assertLanguage(entry.getKey(), lang, entry.getValue());
            }
            assertThat(consent.document().select("ul.grants li").eachText())
                    .containsExactly(t(lang, "grant.read.firstname"), t(lang, "grant.read.phone"));
            assertThat(consent.text()).contains(t(lang, "consent.lead").replace("{0}", "Test Shop"));
        }
        String late = link();
        server.clock.advance(Duration.ofMinutes(16));
        for (String lang : LANGS) {
            Browser.Page expired = server.browser().acceptLanguage(lang).get(late);
            assertThat(expired.status()).isEqualTo(410);
            assertLanguage(expired, lang, "expired.title");
            assertThat(expired.form("/login/expired").text()).isEqualTo(t(lang, "expired.back").replace("{0}", "Test Shop"));
        }
    }

    @Test
    void everyLanguageFileHasTheSameNonEmptyKeys() {
        var english = messages("en");
        for (String lang : LANGS) {
            var texts = messages(lang);
            assertThat(texts.stringPropertyNames()).as(lang).isEqualTo(english.stringPropertyNames());
            assertThat(texts.values()).as(lang).allSatisfy(v -> assertThat((String) v).isNotBlank());
        }
        assertThat(t("kk", "login.title")).isNotEqualTo(t("ru", "login.title")).isNotEqualTo(t("en", "login.title"));
    }
}
