package kz.freedomid.login;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every secret the server handles in a sign-in (one-time code, password, authorization code, access and refresh
 * tokens, client secret) is absent from every log line written meanwhile, at every level, and from every page that
 * follows the one that carried it.
 */
class NoSecretsInLogsOrPagesTest {
    static TestServer server;
    static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    static Logger root;
    static ch.qos.logback.classic.Level previous;

    @BeforeAll
    static void start() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previous = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG); // the most talkative setting an operator may choose
        LOG.start();
        root.addAppender(LOG);
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        root.detachAppender(LOG);
        root.setLevel(previous);
    }

    @Test
    void noSecretReachesTheLogOrALaterPage() {
        List<String> secrets = new ArrayList<>();
        List<Browser.Page> pages = new ArrayList<>();
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.OPENID);
        secrets.add(partner.secret());

        // A new phone signs up with an SMS code (one wrong code first).
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        Browser.Page phonePage = browser.get(Flows.loginLink(server, partner, List.of("read.firstname", "openid"), null));
        Browser.Page codePage = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
        String code = server.outbox(phone).get(0).code();
        secrets.add(code);
        String wrong = code.equals("000000") ? "111111" : "000000";
        pages.add(browser.submit(codePage, "/login/code", Map.of("code", wrong)));
        Browser.Page signup = browser.submit(codePage, "/login/code", Map.of("code", code));
        pages.add(signup);
        Browser.Page consentRedirect = browser.submit(signup, "/login/signup", Map.of("firstname", "Dana", "lastname", "S"));
        Browser.Page consent = browser.follow(consentRedirect);
        pages.add(consent);
        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        String authorizationCode = Flows.query(back.location()).get("authorization_code");
        secrets.add(authorizationCode);

        Flows.Tokens tokens = Flows.exchange(server, partner, authorizationCode);
        secrets.add(tokens.accessToken());
        secrets.add(tokens.refreshToken());
        Http.Response refreshed = server.http().send("PATCH", "/api/v1/oauth/token", "Bearer " + tokens.refreshToken(), null, null);
        assertThat(refreshed.status()).isEqualTo(200);
        secrets.add(refreshed.json().get("access_token").asText());
        secrets.add(refreshed.json().get("refresh_token").asText());
        // A replayed refresh token (reuse detection) and a bad client secret are logged as events, not as values.
        server.http().send("PATCH", "/api/v1/oauth/token", "Bearer " + tokens.refreshToken(), null, null);
        server.http().json("POST", "/api/v1/oauth/token", Http.basic(partner.clientId(), partner.secret() + "x"),
                Map.of("authorization_code", authorizationCode));

        // A user with a password: a wrong one, then the right one.
        User user = Flows.user(server, "steppe-eagle-2024");
        secrets.add("steppe-eagle-2024");
        secrets.add("steppe-eagle-2025");
        Browser other = server.browser();
        Browser.Page login = other.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        Browser.Page passwordPage = other.submit(login, "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        Browser.Page wrongPassword = other.submit(passwordPage, "/login/password", Map.of("password", "steppe-eagle-2025"));
        assertThat(wrongPassword.status()).isEqualTo(401);
        pages.add(wrongPassword);
        pages.add(other.submit(passwordPage, "/login/password", Map.of("password", "steppe-eagle-2024")));

        List<String> lines = LOG.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
        assertThat(lines).as("log lines were captured").hasSizeGreaterThan(5);
        for (String secret : secrets) {
            String pattern = secret.matches("\\d{6}") ? "(?s).*(?<!\\d)" + secret + "(?!\\d).*" : null;
            for (String line : lines) {
                if (pattern != null) {
                    assertThat(line.matches(pattern)).as("log line holds a one-time code: " + line).isFalse();
                } else {
                    assertThat(line).as("log line holds a secret").doesNotContain(secret);
                }
            }
            for (Browser.Page page : pages) {
                assertThat(page.body()).as("a page echoes a secret").doesNotContain(secret);
            }
        }
    }
}
