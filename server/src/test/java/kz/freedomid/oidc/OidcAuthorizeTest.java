package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code GET|POST /openid} (contract 4.2): the success redirect, the error page, error redirects, prompt and friends. */
class OidcAuthorizeTest {
    static TestServer server;
    static Client client;
    static String issuer;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = confidential(server);
        issuer = server.app.config.issuer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void successRedirectsWithCodeStateAndIssAndKeepsTheRedirectUrisOwnQuery() {
        Map<String, String> request = request(client);
        Map<String, String> back = authorize(server, server.browser(), request, Flows.newPhone());
        assertThat(back.get("code")).matches("[A-Za-z0-9]{128}");
        assertThat(back.get("state")).isEqualTo(request.get("state"));
        assertThat(back.get("iss")).isEqualTo(issuer);
        assertThat(back.get("tenant")).isEqualTo("7");
        assertThat(back).doesNotContainKeys("error", "authorization_code");
    }

    static Stream<Arguments> badClientOrRedirect() {
        return Stream.of(
                Arguments.of("unknown client_id", "client_id", UUID.randomUUID().toString()),
                Arguments.of("malformed client_id", "client_id", "not-a-uuid"),
                Arguments.of("missing client_id", "client_id", null),
                Arguments.of("unregistered redirect_uri", "redirect_uri", "https://evil.example/cb"),
                Arguments.of("redirect_uri without the registered query", "redirect_uri", "https://rp.example/cb"),
                Arguments.of("missing redirect_uri", "redirect_uri", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badClientOrRedirect")
    void aBadClientOrRedirectUriGetsAnErrorPageAndNoRedirect(String name, String param, String value) {
        long tracks = count(server, "login_tracks");
        Browser.Page page = server.browser().get(url(with(request(client), param, value)));
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.location()).isNull();
        assertThat(page.text()).contains("Sign-in request not accepted");
        assertThat(count(server, "login_tracks")).isEqualTo(tracks);
    }

    @Test
    void aRepeatedClientIdGetsTheErrorPage() {
        Browser.Page page = server.browser().get(url(request(client)) + "&client_id=" + client.clientId());
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.location()).isNull();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("response_type=token", new String[] {"response_type", "token"}, "unsupported_response_type"),
                Arguments.of("response_type missing", new String[] {"response_type", null}, "invalid_request"),
                Arguments.of("scope missing", new String[] {"scope", null}, "invalid_request"),
                Arguments.of("scope without openid", new String[] {"scope", "read.firstname"}, "invalid_scope"),
                Arguments.of("unknown scope", new String[] {"scope", "openid read.salary"}, "invalid_scope"),
                Arguments.of("scope not allowed for the client", new String[] {"scope", "openid read.cards"}, "invalid_scope"),
                Arguments.of("PKCE plain", new String[] {"code_challenge", challenge(verifier()), "code_challenge_method", "plain"},
                        "invalid_request"),
                Arguments.of("PKCE without method", new String[] {"code_challenge", challenge(verifier())}, "invalid_request"),
                Arguments.of("malformed code_challenge", new String[] {"code_challenge", "short!", "code_challenge_method", "S256"},
                        "invalid_request"),
                Arguments.of("unknown prompt", new String[] {"prompt", "sometimes"}, "invalid_request"),
                Arguments.of("prompt none with login", new String[] {"prompt", "none login"}, "invalid_request"),
                Arguments.of("negative max_age", new String[] {"max_age", "-1"}, "invalid_request"),
                Arguments.of("max_age not a number", new String[] {"max_age", "soon"}, "invalid_request"),
                Arguments.of("state over 512 characters", new String[] {"state", "s".repeat(513)}, "invalid_request"),
                Arguments.of("nonce over 512 characters", new String[] {"nonce", "n".repeat(513)}, "invalid_request"),
                Arguments.of("response_mode fragment", new String[] {"response_mode", "fragment"}, "invalid_request"),
                Arguments.of("request object", new String[] {"request", "eyJhbGciOiJub25lIn0.e30."}, "request_not_supported"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aBadRequestRedirectsBackWithTheStandardError(String name, String[] change, String error) {
        long tracks = count(server, "login_tracks");
        Map<String, String> request = with(request(client), change);
        Browser.Page page = server.browser().get(url(request));
        assertErrorRedirect(server, page, client, error, request.get("state"));
        assertThat(count(server, "login_tracks")).as("no login started").isEqualTo(tracks);
    }

    @Test
    void aRepeatedParameterIsInvalidRequest() {
        Map<String, String> request = request(client);
        Browser.Page twoStates = server.browser().get(url(request) + "&state=other");
        assertErrorRedirect(server, twoStates, client, "invalid_request", null);
        Browser.Page twoScopes = server.browser().get(url(request) + "&scope=openid");
        assertErrorRedirect(server, twoScopes, client, "invalid_request", request.get("state"));
    }

    @Test
    void aPublicClientMustUsePkce() {
        Client pub = publicClient(server);
        Map<String, String> request = request(pub);
        assertErrorRedirect(server, server.browser().get(url(request)), pub, "invalid_request", request.get("state"));

        Browser.Page withPkce = server.browser().get(url(request(pub, verifier())));
        assertThat(withPkce.status()).isEqualTo(303);
        assertThat(withPkce.location()).startsWith("/login?track_id=");
    }

    @Test
    void promptNoneWithoutASessionIsLoginRequired() {
        Map<String, String> request = with(request(client), "prompt", "none");
        assertErrorRedirect(server, server.browser().get(url(request)), client, "login_required", request.get("state"));
    }

    @Test
    void promptNoneAnswersFromTheSessionOrAsksForConsent() {
        Browser browser = server.browser();
        authorize(server, browser, request(client), Flows.newPhone());

        Map<String, String> silent = with(request(client), "prompt", "none");
        Browser.Page page = browser.get(url(silent));
        assertThat(page.status()).isEqualTo(303);
        Map<String, String> back = Flows.query(page.location());
        assertThat(page.location()).startsWith(client.redirectUri() + "&");
        assertThat(back.get("code")).isNotBlank();
        assertThat(back.get("state")).isEqualTo(silent.get("state"));
        assertThat(back.get("iss")).isEqualTo(issuer);

        Client other = confidential(server);
        Map<String, String> toOther = with(request(other), "prompt", "none");
        assertErrorRedirect(server, browser.get(url(toOther)), other, "consent_required", toOther.get("state"));

        Map<String, String> moreScopes = with(request(client), "prompt", "none", "scope", "openid read.lastname");
        assertErrorRedirect(server, browser.get(url(moreScopes)), client, "consent_required", moreScopes.get("state"));
    }

    @Test
    void promptLoginShowsThePhonePageDespiteASession() {
        Browser browser = server.browser();
        String phone = Flows.newPhone();
        authorize(server, browser, request(client), phone);
        server.clock.advance(Duration.ofSeconds(61)); // a new SMS code for the same phone may be sent after 60 s

        Browser.Page toLogin = browser.get(url(with(request(client), "prompt", "login")));
        Browser.Page login = browser.follow(toLogin);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.document().selectFirst("form[action=/login/phone]")).isNotNull();

        String back = Flows.approvedRedirect(server, browser, toLogin.location(), phone);
        assertThat(Flows.query(back).get("code")).isNotBlank();
    }

    @Test
    void maxAgeZeroAfterTimePassesForcesSignInWhileALargeMaxAgeDoesNot() {
        Browser browser = server.browser();
        authorize(server, browser, request(client), Flows.newPhone());
        server.clock.advance(Duration.ofSeconds(2));

        Browser.Page large = browser.follow(browser.get(url(with(request(client), "max_age", "3600"))));
        assertThat(large.status()).as(large.body()).isEqualTo(303);
        assertThat(Flows.query(large.location()).get("code")).isNotBlank();

        Browser.Page zero = browser.follow(browser.get(url(with(request(client), "max_age", "0"))));
        assertThat(zero.status()).as(zero.body()).isEqualTo(200);
        assertThat(zero.document().selectFirst("form[action=/login/phone]")).isNotNull();

        Map<String, String> silent = with(request(client), "max_age", "0", "prompt", "none");
        assertErrorRedirect(server, browser.get(url(silent)), client, "login_required", silent.get("state"));
    }

    @Test
    void promptConsentShowsTheConsentPageAlthoughConsentIsRemembered() {
        Browser browser = server.browser();
        authorize(server, browser, request(client), Flows.newPhone());

        Browser.Page toConsent = browser.follow(browser.get(url(with(request(client), "prompt", "consent"))));
        assertThat(toConsent.status()).as(toConsent.body()).isEqualTo(303);
        assertThat(toConsent.location()).startsWith("/login/consent");
        Browser.Page consent = browser.follow(toConsent);
        assertThat(consent.status()).isEqualTo(200);
        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        assertThat(back.status()).isEqualTo(303);
        assertThat(Flows.query(back.location()).get("code")).isNotBlank();
    }

    @Test
    void loginHintPrefillsThePhoneField() {
        Browser browser = server.browser();
        Browser.Page page = browser.follow(browser.get(url(with(request(client), "login_hint", "+77017654321"))));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.document().selectFirst("input[name=phone]").attr("value")).isEqualTo("+77017654321");

        Browser.Page noHint = browser.follow(browser.get(url(with(request(client), "login_hint", "not a phone"))));
        assertThat(noHint.document().selectFirst("input[name=phone]").attr("value")).isEmpty();
    }

    @Test
    void uiLocalesKkRendersTheLoginPageInKazakh() {
        Browser browser = server.browser(); // sends Accept-Language: en
        Browser.Page page = browser.follow(browser.get(url(with(request(client), "ui_locales", "kk-KZ ru"))));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.document().selectFirst("html").attr("lang")).isEqualTo("kk");
        assertThat(page.text()).contains("Телефон нөмірі");
    }

    @Test
    void declineRedirectsWithAccessDeniedStateAndIss() {
        Browser browser = server.browser();
        Map<String, String> request = request(client);
        Browser.Page toLogin = browser.get(url(request));
        Browser.Page afterCode = Flows.signInWithCode(server, browser, toLogin.location(), Flows.newPhone());
        Browser.Page toConsent = browser.submit(afterCode, "/login/signup", Map.of("firstname", "Dana", "lastname", "Serikova"));
        Browser.Page consent = browser.follow(toConsent);
        Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "deny"));
        assertErrorRedirect(server, back, client, "access_denied", request.get("state"));
    }

    @Test
    void postWithAFormBodyWorksLikeGet() {
        Browser browser = server.browser();
        Map<String, String> request = request(client, verifier());
        Browser.Page toLogin = browser.post("/openid", request);
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        assertThat(toLogin.location()).startsWith("/login?track_id=");
        Map<String, String> back = Flows.query(Flows.approvedRedirect(server, browser, toLogin.location(), Flows.newPhone()));
        assertThat(back.get("state")).isEqualTo(request.get("state"));
        assertThat(back.get("iss")).isEqualTo(issuer);
        assertThat(back.get("code")).isNotBlank();

        Browser.Page bad = browser.post("/openid", with(request, "scope", "read.firstname"));
        assertErrorRedirect(server, bad, client, "invalid_scope", request.get("state"));

        long tracks = count(server, "login_tracks");
        Browser.Page huge = browser.post("/openid", with(request, "pad", "x".repeat(65 * 1024)));
        assertThat(huge.status()).as(huge.body()).isBetween(400, 499);
        assertThat(huge.location()).isNull();
        assertThat(count(server, "login_tracks")).isEqualTo(tracks);
    }
}
