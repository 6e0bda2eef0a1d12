package kz.freedomid.attacks;

import static kz.freedomid.oauth.ApiTestSupport.assertValidation;
import static kz.freedomid.oidc.OidcTestSupport.request;
import static kz.freedomid.oidc.OidcTestSupport.url;
import static kz.freedomid.oidc.OidcTestSupport.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9700 §2.1 and §4.1: open redirect through {@code redirect_uri} variants. Only an exact match with a registered
 * URI is accepted, at the partner API (contract 3.1) and at {@code GET /openid} (contract 4.2), and /openid never
 * redirects to an unregistered URI, not even to report an error.
 */
class RedirectUriAttackTest {
    /** Registered by {@link Flows#partner}. */
    private static final String PARTNER_URI = "https://partner.example/callback?shop=1";

    static TestServer server;
    static Flows.TestPartner partner;
    static OidcTestSupport.Client client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.OPENID);
        client = OidcTestSupport.confidential(server);
        assertThat(partner.redirectUri()).isEqualTo(PARTNER_URI);
        assertThat(client.redirectUri()).isEqualTo(OidcTestSupport.CALLBACK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Variants of https://{host}{path}?{query}, each one a different URI from the registered one. */
    static Stream<Arguments> variants(String host, String path, String query) {
        String exact = "https://" + host + path + "?" + query;
        return Stream.of(
                Arguments.of("host upper case", "https://" + host.toUpperCase() + path + "?" + query),
                Arguments.of("path upper case", "https://" + host + path.toUpperCase() + "?" + query),
                Arguments.of("scheme upper case", "HTTPS://" + host + path + "?" + query),
                Arguments.of("trailing slash", "https://" + host + path + "/?" + query),
                Arguments.of("extra path", "https://" + host + path + "/../evil?" + query),
                Arguments.of("extra path segment", "https://" + host + path + "/x?" + query),
                Arguments.of("extra query", exact + "&next=https://evil.example"),
                Arguments.of("query dropped", "https://" + host + path),
                Arguments.of("userinfo @ evil host", "https://" + host + "@evil.example" + path + "?" + query),
                Arguments.of("userinfo before host", "https://evil.example@" + host + path + "?" + query),
                Arguments.of("percent-encoded path", "https://" + host + path.replace("c", "%63") + "?" + query),
                Arguments.of("percent-encoded dot in host", "https://" + host.replace(".", "%2E") + path + "?" + query),
                Arguments.of("encoded slash", "https://" + host + path + "%2F..%2Fevil?" + query),
                Arguments.of("fragment", exact + "#frag"),
                Arguments.of("empty fragment", exact + "#"),
                Arguments.of("different port", "https://" + host + ":8443" + path + "?" + query),
                Arguments.of("explicit default port", "https://" + host + ":443" + path + "?" + query),
                Arguments.of("scheme http", "http://" + host + path + "?" + query),
                Arguments.of("IDN look-alike (Cyrillic а)", "https://" + host.replace("a", "\u0430") + path + "?" + query),
                Arguments.of("IDN look-alike punycode", "https://xn--" + host.replace(".", "-") + path + "?" + query),
                Arguments.of("subdomain of the host", "https://" + host + ".evil.example" + path + "?" + query),
                Arguments.of("surrounding whitespace", " " + exact + " "),
                Arguments.of("trailing tab", exact + "\t"),
                Arguments.of("other host", "https://evil.example" + path + "?" + query));
    }

    static Stream<Arguments> partnerVariants() {
        return variants("partner.example", "/callback", "shop=1");
    }

    static Stream<Arguments> oidcVariants() {
        return variants("rp.example", "/cb", "tenant=7");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partnerVariants")
    void partnerAuthorizeWhenRedirectUriNotExactThenRejectedAndNoTrack(String name, String redirectUri) {
        long tracks = server.count("SELECT COUNT(*) FROM login_tracks");
        Http.Response response = server.http().json("POST", "/api/v1/oauth/authorize", partner.basic(),
                Map.of("redirect_uri", redirectUri, "grants", List.of("read.firstname")));
        assertValidation(response, "redirect_uri");
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks")).isEqualTo(tracks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oidcVariants")
    void openidWhenRedirectUriNotExactThenErrorPageAndNoRedirect(String name, String redirectUri) {
        long tracks = server.count("SELECT COUNT(*) FROM login_tracks");
        Browser.Page page = server.browser().get(url(with(request(client), "redirect_uri", redirectUri)));
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.location()).isNull();
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks")).isEqualTo(tracks);
    }

    /** An error in another parameter must not make /openid report it to an unregistered redirect_uri. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oidcVariants")
    void openidWhenRedirectUriNotExactAndRequestInvalidThenStillNoRedirect(String name, String redirectUri) {
        Browser.Page page = server.browser().get(url(with(request(client), "redirect_uri", redirectUri,
                "response_type", "token", "scope", "read.firstname")));
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.location()).isNull();
    }
}
