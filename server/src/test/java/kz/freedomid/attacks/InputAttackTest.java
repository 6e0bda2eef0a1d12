package kz.freedomid.attacks;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.UserApiTestSupport.body;
import static kz.freedomid.oauth.UserApiTestSupport.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import kz.freedomid.oauth.UserApiTestSupport;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input at the partner API (contract 3) and the OIDC endpoints (contract 4): SQL injection strings in every
 * parameter, bodies over 64 KiB, huge headers, invalid UTF-8 and phone numbers with non-ASCII digits. Each is a
 * contract 4xx, never a 500, never a leaked internal detail, and changes nothing.
 */
class InputAttackTest {
    static final List<String> SQL = List.of(
            "' OR '1'='1",
            "'; DROP TABLE users; --",
            "1' UNION SELECT password_hash FROM users --",
            "\\'; UPDATE token_pairs SET revoked_at = NULL; --",
            "\" OR 1=1 /*");

    static TestServer server;
    static Flows.TestPartner partner;
    static OidcTestSupport.Client client;
    static String serviceToken;
    static Flows.TestPartner userPartner;
    /** A user's access token with read.profile, for the get-profile endpoints. */
    static String profileToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.OPENID);
        client = OidcTestSupport.confidential(server);
        userPartner = UserApiTestSupport.partner(server, "users:write");
        serviceToken = serviceToken(server, userPartner);
        Flows.TestPartner profilePartner = Flows.partner(server);
        profileToken = Flows.exchange(server, profilePartner,
                Flows.codeFrom(server, profilePartner, List.of("read.firstname", "read.phone", "read.profile"))).accessToken();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Row counts of every table a request could write to, and the revoked pairs. */
    static List<Long> counts() {
        return counts(true);
    }

    static List<Long> counts(boolean withSessions) {
        List<Long> out = new ArrayList<>();
        if (withSessions) out.add(server.count("SELECT COUNT(*) FROM web_sessions"));
        for (String table : List.of("users", "partners", "login_tracks", "otp_challenges", "consents",
                "auth_codes", "token_pairs", "profile_requests", "user_phones", "user_emails")) {
            out.add(server.count("SELECT COUNT(*) FROM " + table));
        }
        out.add(server.count("SELECT COUNT(*) FROM token_pairs WHERE revoked_at IS NOT NULL"));
        return out;
    }

    static void assertNoLeak(String body) {
        assertThat(body.toLowerCase()).doesNotContain("exception", "sqlstate", "jdbc", "org.h2", "org.postgresql",
                "jdbi", "\tat ", "syntax error", "kz.freedomid");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Http.Response form(String path, String authorization, Map<String, String> params) {
        return OidcTestSupport.postForm(server, path, authorization, params);
    }

    static String redirect() {
        return partner.redirectUri();
    }

    /** Each parameter of each endpoint, as a request carrying {@code payload} in it. */
    static Stream<Arguments> surfaces() {
        Map<String, Function<String, Http.Response>> s = new java.util.LinkedHashMap<>();
        Http http = server.http();
        s.put("authorize redirect_uri", p -> http.json("POST", "/api/v1/oauth/authorize", partner.basic(), Map.of("redirect_uri", p, "grants", List.of("read.firstname"))));
        s.put("authorize grants", p -> http.json("POST", "/api/v1/oauth/authorize", partner.basic(), Map.of("redirect_uri", redirect(), "grants", List.of(p))));
        s.put("authorize Basic client_id", p -> http.json("POST", "/api/v1/oauth/authorize", Http.basic(p, partner.secret()), Map.of("redirect_uri", redirect(), "grants", List.of("read.firstname"))));
        s.put("authorize Basic secret", p -> http.json("POST", "/api/v1/oauth/authorize", Http.basic(partner.clientId(), p), Map.of("redirect_uri", redirect(), "grants", List.of("read.firstname"))));
        s.put("token authorization_code", p -> http.json("POST", "/api/v1/oauth/token", partner.basic(), Map.of("authorization_code", p)));
        s.put("token revoke_uri", p -> http.json("POST", "/api/v1/oauth/token", partner.basic(), Map.of("authorization_code", "x", "revoke_uri", p)));
        s.put("refresh bearer", p -> http.send("PATCH", "/api/v1/oauth/token", Http.bearer(p), null, null));
        s.put("user info bearer", p -> http.get("/api/v1/oauth/user", Http.bearer(p)));
        s.put("get-profile request_id", p -> http.json("POST", "/api/v1/oauth/get-profile", Http.bearer(profileToken), Map.of("request_id", p)));
        s.put("get-profile created_at", p -> http.json("POST", "/api/v1/oauth/get-profile", Http.bearer(profileToken),
                Map.of("request_id", java.util.UUID.randomUUID().toString(), "created_at", p)));
        s.put("get-profile status request_id", p -> http.get("/api/v1/oauth/get-profile/status?request_id=" + enc(p), Http.bearer(profileToken)));
        s.put("user create phone", p -> http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken), body("phone", p)));
        s.put("user create email", p -> http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken), body("phone", "+77", "email", p)));
        s.put("user create date_of_birth", p -> http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken), body("phone", "+77", "date_of_birth", p)));
        s.put("user create gender", p -> http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken), body("phone", "+77", "gender", p)));
        s.put("user create country", p -> http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken), body("phone", "+77", "country", p)));
        s.put("user create phones", p -> http.json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken), body("phone", "+77", "phones", List.of(p))));
        s.put("user update freedom_id", p -> http.json("PUT", "/api/v1/oauth/user", Http.bearer(serviceToken), body("freedom_id", p, "firstname", "X")));
        s.put("oidc token grant_type", p -> form("/api/v1/oidc/token", client.basic(), Map.of("grant_type", p)));
        s.put("oidc token code", p -> form("/api/v1/oidc/token", client.basic(), Map.of("grant_type", "authorization_code", "code", p, "redirect_uri", client.redirectUri())));
        s.put("oidc token redirect_uri", p -> form("/api/v1/oidc/token", client.basic(), Map.of("grant_type", "authorization_code", "code", "x", "redirect_uri", p)));
        s.put("oidc token code_verifier", p -> form("/api/v1/oidc/token", client.basic(), Map.of("grant_type", "authorization_code", "code", "x", "redirect_uri", client.redirectUri(), "code_verifier", p)));
        s.put("oidc token refresh_token", p -> form("/api/v1/oidc/token", client.basic(), Map.of("grant_type", "refresh_token", "refresh_token", p)));
        s.put("oidc token scope", p -> form("/api/v1/oidc/token", client.basic(), Map.of("grant_type", "client_credentials", "scope", p)));
        s.put("oidc token client_id (post)", p -> form("/api/v1/oidc/token", null, Map.of("grant_type", "client_credentials", "client_id", p, "client_secret", client.secret())));
        s.put("oidc token client_secret (post)", p -> form("/api/v1/oidc/token", null, Map.of("grant_type", "client_credentials", "client_id", client.clientId(), "client_secret", p)));
        s.put("oidc token json code", p -> OidcTestSupport.tokenJson(server, client.basic(), Map.of("grant_type", "authorization_code", "code", p)));
        s.put("oidc introspect token", p -> form("/api/v1/oidc/introspect", client.basic(), Map.of("token", p)));
        s.put("oidc introspect token_type_hint", p -> form("/api/v1/oidc/introspect", client.basic(), Map.of("token", "x", "token_type_hint", p)));
        s.put("oidc revoke token", p -> form("/api/v1/oidc/revoke", client.basic(), Map.of("token", p)));
        s.put("oidc revoke Basic client_id", p -> form("/api/v1/oidc/revoke", Http.basic(p, "x"), Map.of("token", "x")));
        s.put("oidc userinfo bearer", p -> OidcTestSupport.userinfo(server, p));
        s.put("openid client_id", p -> http.get(OidcTestSupport.url(OidcTestSupport.with(OidcTestSupport.request(client), "client_id", p)), null));
        s.put("openid redirect_uri", p -> http.get(OidcTestSupport.url(OidcTestSupport.with(OidcTestSupport.request(client), "redirect_uri", p)), null));
        s.put("openid scope", p -> http.get(OidcTestSupport.url(OidcTestSupport.with(OidcTestSupport.request(client), "scope", "openid " + p)), null));
        s.put("openid response_type", p -> http.get(OidcTestSupport.url(OidcTestSupport.with(OidcTestSupport.request(client), "response_type", p)), null));
        s.put("openid code_challenge", p -> http.get(OidcTestSupport.url(OidcTestSupport.with(OidcTestSupport.request(client),
                "code_challenge", p, "code_challenge_method", "S256")), null));
        s.put("openid prompt", p -> http.get(OidcTestSupport.url(OidcTestSupport.with(OidcTestSupport.request(client), "prompt", p)), null));
        s.put("openid max_age", p -> http.get(OidcTestSupport.url(OidcTestSupport.with(OidcTestSupport.request(client), "max_age", p)), null));
        s.put("logout id_token_hint", p -> http.get("/api/v1/oidc/logout?id_token_hint=" + enc(p), null));
        s.put("login track_id", p -> http.get("/login?track_id=" + enc(p) + "&expire_at=1", null));
        return s.entrySet().stream().flatMap(e -> SQL.stream().map(p -> Arguments.of(e.getKey() + " ← " + p, e.getValue(), p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void parameterWhenSqlInjectionThenRefusedWithoutLeakOrChange(String name, Function<String, Http.Response> attempt, String payload) {
        // Any visit to /login opens an anonymous web session (for its CSRF token), even for an unknown track.
        boolean sessions = !name.startsWith("login ");
        List<Long> before = counts(sessions);
        Http.Response response = attempt.apply(payload);
        // An /openid error is reported to the registered redirect URI (303); introspection and revocation answer 200
        // for an unknown token (RFC 7662 §2.2, RFC 7009 §2.2); everything else is a 4xx.
        int lowest = name.startsWith("oidc introspect") || name.startsWith("oidc revoke token") ? 200 : 300;
        assertThat(response.status()).as(response.body()).isBetween(lowest, 499).isNotEqualTo(302);
        if (response.status() == 303) {
            assertThat(response.header("Location")).startsWith(client.redirectUri() + "&").contains("error=");
        }
        assertNoLeak(response.body());
        assertThat(counts(sessions)).isEqualTo(before);
    }

    @Test
    void freeTextWhenSqlInjectionThenStoredVerbatim() {
        List<String> stored = new ArrayList<>();
        for (String payload : SQL) {
            String phone = Flows.newPhone();
            Http.Response created = UserApiTestSupport.create(server, serviceToken, body("phone", phone, "firstname", payload,
                    "lastname", payload, "nationality", payload));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            stored.add(server.app.database.jdbi().withHandle(h -> h.createQuery("SELECT firstname FROM users WHERE phone = ?")
                    .bind(0, phone).mapTo(String.class).one()));
        }
        assertThat(stored).isEqualTo(SQL);
        assertThat(server.count("SELECT COUNT(*) FROM users")).isGreaterThanOrEqualTo(SQL.size());
    }

    // --- Oversized bodies and headers ---

    static Stream<Arguments> jsonEndpoints() {
        return Stream.of(
                Arguments.of("authorize", "POST", "/api/v1/oauth/authorize", "partner"),
                Arguments.of("token exchange", "POST", "/api/v1/oauth/token", "partner"),
                Arguments.of("user create", "POST", "/api/v1/oauth/user", "service"),
                Arguments.of("user update", "PUT", "/api/v1/oauth/user", "service"),
                Arguments.of("get-profile", "POST", "/api/v1/oauth/get-profile", "profile"));
    }

    private static String auth(String kind) {
        return switch (kind) {
            case "partner" -> partner.basic();
            case "profile" -> Http.bearer(profileToken);
            default -> Http.bearer(serviceToken);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonEndpoints")
    void jsonBodyWhenOver64KiBThen400And100008(String name, String method, String path, String kind) {
        List<Long> before = counts();
        String big = "{\"redirect_uri\":\"" + "a".repeat(64 * 1024) + "\",\"phone\":\"+77\"}";
        assertError(server.http().json(method, path, auth(kind), big), 400, 100008);
        assertThat(counts()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonEndpoints")
    void jsonBodyWhenInvalidUtf8Then400And100008(String name, String method, String path, String kind) {
        List<Long> before = counts();
        for (byte[] bad : List.of(
                new byte[] {'{', '"', 'p', 'h', 'o', 'n', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},
                new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xF0, (byte) 0x9F, '"', '}'})) {
            Http.Response response = server.http().send(method, path, auth(kind), "application/json", bad);
            assertError(response, 400, 100008);
        }
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void oidcFormWhenInvalidUtf8ThenClientErrorAndNoChange() {
        List<Long> before = counts();
        for (String path : List.of("/api/v1/oidc/token", "/api/v1/oidc/introspect", "/api/v1/oidc/revoke")) {
            for (byte[] bad : List.of("grant_type=client_credentials&scope=%C3%28".getBytes(StandardCharsets.US_ASCII),
                    "token=%FF%FE&grant_type=refresh_token&refresh_token=%ED%A0%80".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {'t', 'o', 'k', 'e', 'n', '=', (byte) 0xC3, (byte) 0x28})) {
                Http.Response response = server.http().send("POST", path, client.basic(), "application/x-www-form-urlencoded", bad);
                assertThat(response.status()).as(path + ": " + response.body()).isBetween(200, 499);
                assertNoLeak(response.body());
            }
        }
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void oidcFormWhenOver64KiBThenClientError() {
        List<Long> before = counts();
        String big = "grant_type=client_credentials&pad=" + "a".repeat(70 * 1024);
        for (String path : List.of("/api/v1/oidc/token", "/api/v1/oidc/introspect", "/api/v1/oidc/revoke")) {
            Http.Response response = OidcTestSupport.postForm(server, path, client.basic(), big);
            assertThat(response.status()).as(path + ": " + response.body()).isBetween(400, 499);
            assertNoLeak(response.body());
        }
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void requestWhenHeaderIsHugeThen431Or400NeverA500() {
        for (String path : List.of("/api/v1/oauth/user", "/api/v1/oidc/userinfo", "/openid", "/login")) {
            Http.Response response;
            try {
                response = server.http().withHeader("X-Padding", "a".repeat(96 * 1024)).get(path, Http.bearer("x"));
            } catch (java.io.UncheckedIOException closed) {
                continue; // the server may close the connection instead of answering; that is no 500 either
            }
            assertThat(response.status()).as(path + ": " + response.body()).isIn(400, 431);
            assertNoLeak(response.body());
        }
        Http.Response big = server.http().get("/api/v1/oauth/user", Http.bearer("a".repeat(96 * 1024)));
        assertThat(big.status()).isIn(400, 401, 431);
    }

    // --- Phone numbers with non-ASCII digits or look-alikes ---

    static Stream<Arguments> unicodePhones() {
        return Stream.of(
                Arguments.of("Arabic-Indic digits", "+\u0667\u0667\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"),
                Arguments.of("fullwidth digits", "+\uff17\uff17\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"),
                Arguments.of("fullwidth plus", "\uff0b77012345678"),
                Arguments.of("letter O for zero", "+77O12345678"),
                Arguments.of("zero-width space inside", "+7701\u200b2345678"),
                Arguments.of("right-to-left mark", "\u200f+77012345678"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unicodePhones")
    void userCreateWhenPhoneHasNonAsciiDigitsThen422AndNoUser(String name, String phone) {
        List<Long> before = counts();
        kz.freedomid.oauth.ApiTestSupport.assertValidation(UserApiTestSupport.create(server, serviceToken, body("phone", phone)), "phone");
        kz.freedomid.oauth.ApiTestSupport.assertValidation(UserApiTestSupport.create(server, serviceToken,
                body("phone", Flows.newPhone(), "phones", List.of(phone))), "phones.0");
        assertThat(counts()).isEqualTo(before);
    }
}
