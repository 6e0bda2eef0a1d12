package kz.freedomid.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-address limits on the sign-in pages (SMS codes sent; code and password attempts) and the per-phone password
 * lock-out. Each test is its own caller through X-Forwarded-For, the header a trusted proxy would set.
 */
class SignInRateLimitTest {
    static final AtomicInteger ADDRESSES = new AtomicInteger(1);
    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of(
                "FREEDOM_ID_CLIENT_IP_HEADER", "X-Forwarded-For",
                "FREEDOM_ID_RATE_OTP_PER_IP_HOUR", "3",
                "FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", "4"));
        partner = Flows.partner(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A browser behind the trusted proxy at a fresh address; the proxy appends the address it saw. */
    static Browser browserAt(String address) {
        return server.browser().header("X-Forwarded-For", "10.9.9.9, " + address);
    }

    static String newAddress() {
        return "198.51.100." + ADDRESSES.getAndIncrement();
    }

    static Browser.Page phonePage(Browser browser) {
        Browser.Page page = browser.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    static Browser.Page sendCode(Browser browser, Browser.Page phonePage, String phone) {
        return browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
    }

    static double metric(String limit) {
        String line = server.http().get("/metrics", null).body().lines()
                .filter(l -> l.startsWith("freedom_id_rate_limited_total{") && l.contains("limit=\"" + limit + "\""))
                .findFirst().orElseThrow(() -> new AssertionError("no counter for " + limit));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void smsCodesOverTheAddressLimitGet429PageWithRetryAfterAndNoSmsUntilTheBucketRefills() {
        String address = newAddress();
        Browser browser = browserAt(address);
        Browser.Page phonePage = phonePage(browser);
        for (int i = 0; i < 3; i++) {
            String phone = Flows.newPhone();
            assertThat(sendCode(browser, phonePage, phone).status()).isEqualTo(200);
            assertThat(server.outbox(phone)).hasSize(1);
        }
        double refusedBefore = metric("otp_send_ip");

        String fourth = Flows.newPhone();
        Browser.Page refused = sendCode(browser, phonePage, fourth);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1200"); // 3 an hour: one more every 20 minutes
        assertThat(refused.header("Content-Type")).startsWith("text/html");
        assertThat(refused.document().title()).contains("Too many attempts");
        assertThat(refused.text()).contains("Please wait 20 min and try again.");
        assertThat(server.outbox(fourth)).isEmpty();
        assertThat(server.count("SELECT COUNT(*) FROM otp_challenges WHERE phone = ?", fourth)).isZero();
        assertThat(metric("otp_send_ip")).isEqualTo(refusedBefore + 1);

        // The page speaks the caller's language.
        Browser russian = browserAt(address).acceptLanguage("ru");
        Browser.Page ru = sendCode(russian, phonePage(russian), fourth);
        assertThat(ru.status()).isEqualTo(429);
        assertThat(ru.text()).contains("Слишком много попыток").contains("Подождите 20 мин.");
        Browser kazakh = browserAt(address).acceptLanguage("kk");
        assertThat(sendCode(kazakh, phonePage(kazakh), fourth).text()).contains("Әрекеттер тым көп");

        // Choosing a password sends nothing and is not limited; another address is not limited either.
        assertThat(browser.submit(phonePage, "/login/phone", Map.of("phone", fourth, "method", "password")).status())
                .isEqualTo(200);
        Browser elsewhere = browserAt(newAddress());
        assertThat(sendCode(elsewhere, phonePage(elsewhere), Flows.newPhone()).status()).isEqualTo(200);

        server.clock.advance(Duration.ofMinutes(19));
        assertThat(sendCode(browser, phonePage(browser), fourth).status()).isEqualTo(429);
        server.clock.advance(Duration.ofMinutes(1));
        assertThat(sendCode(browser, phonePage(browser), fourth).status()).isEqualTo(200);
        assertThat(server.outbox(fourth)).hasSize(1);
    }

    @Test
    void codeAndPasswordAttemptsOverTheAddressLimitGet429AndAreNotCounted() {
        Browser browser = browserAt(newAddress());
        var user = Flows.user(server, "right-password-7");
        String phone = Flows.newPhone();
        Browser.Page codePage = sendCode(browser, phonePage(browser), phone);
        String code = server.outbox(phone).get(0).code();
        String wrong = code.substring(0, 5) + (char) ('0' + (code.charAt(5) - '0' + 1) % 10);
        Browser.Page passwordPage = passwordPage(browser, user.phone());

        // Four attempts a ten minutes from one address, codes and passwords together.
        assertThat(browser.submit(codePage, "/login/code", Map.of("code", wrong)).status()).isEqualTo(422);
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "guess-1")).status()).isEqualTo(401);
        assertThat(browser.submit(codePage, "/login/code", Map.of("code", wrong)).status()).isEqualTo(422);
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "guess-2")).status()).isEqualTo(401);

        Browser.Page refusedCode = browser.submit(codePage, "/login/code", Map.of("code", code));
        assertThat(refusedCode.status()).isEqualTo(429);
        assertThat(refusedCode.header("Retry-After")).isEqualTo("150");
        assertThat(refusedCode.location()).isNull();
        Browser.Page refusedPassword = browser.submit(passwordPage, "/login/password", Map.of("password", "right-password-7"));
        assertThat(refusedPassword.status()).isEqualTo(429);
        assertThat(refusedPassword.header("Retry-After")).isEqualTo("150");
        assertThat(refusedPassword.location()).isNull();
        // The refused attempts reached neither the code's attempt counter nor the phone's failure count.
        assertThat(server.count("SELECT attempts FROM otp_challenges WHERE phone = ?", phone)).isEqualTo(2);
        assertThat(server.count("SELECT failures FROM password_failures WHERE phone = ?", user.phone())).isEqualTo(2);

        server.clock.advance(Duration.ofSeconds(150));
        Browser.Page verified = browser.submit(codePage, "/login/code", Map.of("code", code));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.form("/login/signup")).isNotNull();
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "right-password-7")).status())
                .isEqualTo(429);
        server.clock.advance(Duration.ofSeconds(150));
        assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "right-password-7")).status())
                .isEqualTo(303);
    }

    @Test
    void passwordLockoutOfAPhoneGrowsWithEachFailureUpToAnHourWhateverTheAddress() {
        var user = Flows.user(server, "right-password-8");
        Browser browser = browserAt(newAddress());
        Browser.Page passwordPage = passwordPage(browser, user.phone());
        // An attacker moving to a new address for every try still meets the phone's lock-out.
        for (int i = 1; i <= 4; i++) {
            browser.header("X-Forwarded-For", newAddress());
            assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "guess-" + i)).status()).isEqualTo(401);
        }
        List<String> waits = new ArrayList<>();
        for (int i = 5; i <= 13; i++) {
            browser.header("X-Forwarded-For", newAddress());
            passwordPage = passwordPage(browser, user.phone()); // the waits outlast a login link
            assertThat(browser.submit(passwordPage, "/login/password", Map.of("password", "guess-" + i)).status())
                    .as("failure %d", i).isEqualTo(401);
            browser.header("X-Forwarded-For", newAddress());
            Browser.Page locked = browser.submit(passwordPage, "/login/password", Map.of("password", "right-password-8"));
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.text().replace(",", "")) // "1,920 seconds"
                    .contains("Too many failed attempts. Try again in " + locked.header("Retry-After") + " seconds");
            waits.add(locked.header("Retry-After"));
            server.clock.advance(Duration.ofSeconds(Long.parseLong(locked.header("Retry-After"))));
        }
        assertThat(waits).containsExactly("30", "60", "120", "240", "480", "960", "1920", "3600", "3600");
        browser.header("X-Forwarded-For", newAddress());
        assertThat(browser.submit(passwordPage(browser, user.phone()), "/login/password",
                Map.of("password", "right-password-8")).status()).isEqualTo(303);
    }

    static Browser.Page passwordPage(Browser browser, String phone) {
        return browser.submit(phonePage(browser), "/login/phone", Map.of("phone", phone, "method", "password"));
    }
}
