package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /api/v1/oidc/par} and {@code /openid?request_uri=…} (RFC 9126). */
class OidcParTest {
    static final String PAR = "/api/v1/oidc/par";
    static TestServer server;
    static Client client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = confidential(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response push(Client client, Map<String, String> request) {
        return postForm(server, PAR, client.basic(), request);
    }

    static String pushed(Client client, Map<String, String> request) {
        Http.Response response = push(client, request);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = response.json();
        assertThat(body.path("expires_in").asInt()).isEqualTo(60);
        String requestUri = body.path("request_uri").asText();
        assertThat(requestUri).matches("urn:ietf:params:oauth:request_uri:[A-Za-z0-9]{43}");
        return requestUri;
    }

    static String openid(Client client, String requestUri) {
        return url(Map.of("client_id", client.clientId(), "request_uri", requestUri));
    }

    @Test
    void requestWhenPushedThenOpenidWithRequestUriSignsInAndTheCodeBuysTokens() {
        String verifier = verifier();
        Map<String, String> request = request(client, verifier);
        String requestUri = pushed(client, request);
        assertThat(server.count("SELECT COUNT(*) FROM pushed_requests WHERE params LIKE '%"
                + requestUri.substring(PushedRequests.URN.length()) + "%'")).as("the random part is not stored").isZero();

        Browser browser = server.browser();
        Browser.Page toLogin = browser.get(openid(client, requestUri));
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        assertThat(toLogin.location()).startsWith("/login?track_id=");
        Map<String, String> back = Flows.query(Flows.approvedRedirect(server, browser, toLogin.location(), Flows.newPhone()));
        assertThat(back.get("state")).isEqualTo(request.get("state"));
        JsonNode tokens = exchange(server, client, new Code(back.get("code"), verifier, request, back));
        assertThat(verifyIdToken(server, tokens.path("id_token").asText()).getClaim("nonce")).isEqualTo(request.get("nonce"));
    }

    @Test
    void requestWhenPushedWithoutPkceForAPublicClientThenInvalidRequest() {
        Client pub = publicClient(server);
        Map<String, String> request = with(request(pub), "client_id", pub.clientId());
        assertOAuthError(postForm(server, PAR, null, request), 400, "invalid_request");
        Http.Response ok = postForm(server, PAR, null, request(pub, verifier()));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void requestUriWhenUsedTwiceThenErrorPage() {
        String requestUri = pushed(client, request(client, verifier()));
        assertThat(server.browser().get(openid(client, requestUri)).status()).isEqualTo(303);
        assertRequestUriRejected(server.browser().get(openid(client, requestUri)));
    }

    @Test
    void requestUriWhenExpiredThenErrorPage() {
        String requestUri = pushed(client, request(client, verifier()));
        server.clock.advance(Duration.ofSeconds(61));
        assertRequestUriRejected(server.browser().get(openid(client, requestUri)));
        assertThat(server.app.pushedRequests.cleanup()).isPositive();
    }

    @Test
    void requestUriWhenPresentedByAnotherClientThenErrorPageAndStillUsableByItsOwner() {
        String requestUri = pushed(client, request(client, verifier()));
        Client other = confidential(server);
        assertRequestUriRejected(server.browser().get(openid(other, requestUri)));
        assertRequestUriRejected(server.browser().get(openid(client, requestUri + "x")));
        assertRequestUriRejected(server.browser().get(openid(client, "https://rp.example/req")));
        assertThat(server.browser().get(openid(client, requestUri)).status()).isEqualTo(303);
    }

    @Test
    void parametersNextToRequestUriAreIgnored() {
        Map<String, String> request = request(client, verifier());
        String requestUri = pushed(client, request);
        Browser.Page page = server.browser().get(url(Map.of("client_id", client.clientId(), "request_uri", requestUri,
                "redirect_uri", "https://evil.example/cb", "scope", "openid read.cards", "state", "other")));
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location()).startsWith("/login?track_id=");
    }

    @Test
    void pushWhenUnauthenticatedThenInvalidClient() {
        long stored = server.count("SELECT COUNT(*) FROM pushed_requests");
        assertOAuthError(postForm(server, PAR, Http.basic(client.clientId(), "wrong"), request(client)), 401, "invalid_client");
        assertOAuthError(postForm(server, PAR, null, request(client)), 401, "invalid_client");
        assertThat(server.count("SELECT COUNT(*) FROM pushed_requests")).isEqualTo(stored);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("response_type=token", new String[] {"response_type", "token"}, "unsupported_response_type"),
                Arguments.of("missing scope", new String[] {"scope", null}, "invalid_request"),
                Arguments.of("scope without openid", new String[] {"scope", "read.firstname"}, "invalid_scope"),
                Arguments.of("scope not allowed", new String[] {"scope", "openid read.cards"}, "invalid_scope"),
                Arguments.of("PKCE plain", new String[] {"code_challenge", challenge(verifier()), "code_challenge_method", "plain"},
                        "invalid_request"),
                Arguments.of("unknown prompt", new String[] {"prompt", "sometimes"}, "invalid_request"),
                Arguments.of("unregistered redirect_uri", new String[] {"redirect_uri", "https://evil.example/cb"}, "invalid_request"),
                Arguments.of("missing redirect_uri", new String[] {"redirect_uri", null}, "invalid_request"),
                Arguments.of("request object", new String[] {"request", "eyJhbGciOiJub25lIn0.e30."}, "request_not_supported"),
                Arguments.of("request_uri pushed", new String[] {"request_uri", PushedRequests.URN + "abc"}, "invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void pushWhenParametersAreBadThenTheSameErrorAsOpenid(String name, String[] change, String error) {
        long stored = server.count("SELECT COUNT(*) FROM pushed_requests");
        assertOAuthError(push(client, with(request(client), change)), 400, error);
        assertThat(server.count("SELECT COUNT(*) FROM pushed_requests")).isEqualTo(stored);
    }

    @Test
    void openidWhenTheClientRequiresParAndTheRequestWasNotPushedThenInvalidRequest() {
        Client strict = register(server, GRANTS, settings(false, java.util.Set.of(), "RS256").withRequirePushedRequests(true));
        Map<String, String> request = request(strict, verifier());
        long tracks = count(server, "login_tracks");
        assertErrorRedirect(server, server.browser().get(url(request)), strict, "invalid_request", request.get("state"));
        assertThat(count(server, "login_tracks")).isEqualTo(tracks);

        Browser.Page viaPar = server.browser().get(openid(strict, pushed(strict, request)));
        assertThat(viaPar.status()).as(viaPar.body()).isEqualTo(303);
        assertThat(viaPar.location()).startsWith("/login?track_id=");
    }

    @Test
    void discoveryAdvertisesTheEndpoint() {
        JsonNode discovery = server.http().get("/.well-known/openid-configuration", null).json();
        assertThat(discovery.path("pushed_authorization_request_endpoint").asText())
                .isEqualTo(server.app.config.issuer() + PAR);
        assertThat(discovery.path("require_pushed_authorization_requests").isBoolean()).isTrue();
        assertThat(discovery.path("require_pushed_authorization_requests").asBoolean()).isFalse();
    }

    @Test
    void nimbusPushedAuthorizationRequestRoundTrip() throws IOException, ParseException {
        AuthenticationRequest authRequest = new AuthenticationRequest.Builder(new ResponseType("code"),
                new Scope("openid", "read.firstname"), new ClientID(client.clientId()), URI.create(client.redirectUri()))
                .state(new State()).nonce(new Nonce()).codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        PushedAuthorizationRequest par = new PushedAuthorizationRequest(URI.create(server.baseUrl + PAR),
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.secret())), authRequest);
        PushedAuthorizationResponse response = PushedAuthorizationResponse.parse(par.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        PushedAuthorizationSuccessResponse success = response.toSuccessResponse();
        assertThat(success.getLifetime()).isEqualTo(60);
        Browser.Page page = server.browser().get(openid(client, success.getRequestURI().toString()));
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location()).startsWith("/login?track_id=");
    }

    private static void assertRequestUriRejected(Browser.Page page) {
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.location()).isNull();
        assertThat(page.text()).contains("expired or was already used");
    }
}
