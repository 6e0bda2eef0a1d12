package kz.freedomid.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.freedomid.oauth.UserApiTestSupport;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.partner.Grant;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of every JSON body of the partner API (contract 3) and of the OIDC form endpoints (contract
 * 4.3, 4.5): each known field gets a valid value, no value or an arbitrary JSON value, and random extra fields are
 * added. Never a 5xx, never an internal detail in the body, and a rejected request changes nothing. The number of
 * tries is jqwik.tries.default (200 in junit-platform.properties; scripts/fuzz-long.sh raises it).
 */
class ApiFuzzTest {
    static TestServer server;
    static Flows.TestPartner partner;
    static OidcTestSupport.Client client;
    static String serviceToken;
    static String profileToken;

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.OPENID);
        client = OidcTestSupport.confidential(server);
        serviceToken = UserApiTestSupport.serviceToken(server, UserApiTestSupport.partner(server, "users:write"));
        Flows.TestPartner profilePartner = Flows.partner(server);
        profileToken = Flows.exchange(server, profilePartner,
                Flows.codeFrom(server, profilePartner, List.of("read.firstname", "read.phone", "read.profile"))).accessToken();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    // --- Generators ---

    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(40),
                Arbitraries.strings().withChars("+0123456789-@./:?&=%' \"\\").ofMaxLength(20),
                Arbitraries.of("", " ", "null", "true", "0", "-1", "9999999999999999999999", "1e309", "NaN",
                        "00000000-0000-0000-0000-000000000000", "https://evil.example/", "+77012345678", "a@b.c",
                        "1990-02-30", "' OR '1'='1", "\u0000", "\uFEFF", "read.firstname", "S256"));
    }

    static Arbitrary<Object> leaf() {
        return Arbitraries.oneOf(text().map(s -> (Object) s), Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(null));
    }

    static Arbitrary<Object> value(int depth) {
        if (depth == 0) return leaf();
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaf()),
                net.jqwik.api.Tuple.of(2, value(depth - 1).list().ofMaxSize(4).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(2, Arbitraries.maps(text(), value(depth - 1)).ofMaxSize(4).map(m -> (Object) m)));
    }

    /** A body with each of {@code fields} valid, absent or arbitrary, and up to three random extra fields. */
    static Arbitrary<Map<String, Object>> body(Map<String, Object> fields) {
        List<Arbitrary<Object>> choices = new ArrayList<>();
        Object absent = new Object();
        for (Object valid : fields.values()) {
            choices.add(Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(3, Arbitraries.just(valid)),
                    net.jqwik.api.Tuple.of(2, Arbitraries.just(absent)),
                    net.jqwik.api.Tuple.of(5, value(3))));
        }
        Arbitrary<List<Object>> values = Combinators.combine(choices).as(list -> list);
        Arbitrary<Map<String, Object>> extras = Arbitraries.maps(text(), value(2)).ofMaxSize(3);
        List<String> names = List.copyOf(fields.keySet());
        return Combinators.combine(values, extras).as((list, extra) -> {
            Map<String, Object> out = new LinkedHashMap<>(extra);
            for (int i = 0; i < names.size(); i++) {
                if (list.get(i) == absent) out.remove(names.get(i));
                else out.put(names.get(i), list.get(i));
            }
            return out;
        });
    }

    // --- Checks ---

    static List<Long> counts() {
        List<Long> out = new ArrayList<>();
        for (String table : List.of("users", "login_tracks", "token_pairs", "auth_codes", "profile_requests",
                "user_phones", "user_emails", "consents")) {
            out.add(server.count("SELECT COUNT(*) FROM " + table));
        }
        out.add(server.count("SELECT COUNT(*) FROM token_pairs WHERE revoked_at IS NOT NULL"));
        return out;
    }

    /** Sends, then checks: no 5xx, no leak, and nothing written when refused. */
    static void check(java.util.function.Supplier<Http.Response> send) {
        List<Long> before = counts();
        Http.Response response = send.get();
        assertThat(response.status()).as(response.body()).isLessThan(500);
        InputAttackTest.assertNoLeak(response.body());
        if (response.status() >= 400) assertThat(counts()).as(response.body()).isEqualTo(before);
    }

    static void json(String method, String path, String authorization, Map<String, Object> body) {
        check(() -> server.http().json(method, path, authorization, Json.write(body)));
    }

    static void form(String path, Map<String, Object> body) {
        StringBuilder out = new StringBuilder();
        body.forEach((k, v) -> {
            if (!out.isEmpty()) out.append('&');
            out.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(v == null ? "" : v instanceof String s ? s : Json.write(v), StandardCharsets.UTF_8));
        });
        check(() -> server.http().send("POST", path, client.basic(), "application/x-www-form-urlencoded",
                out.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) out.put((String) keyValues[i], keyValues[i + 1]);
        return out;
    }

    // --- Partner API (contract 3) ---

    @Provide
    Arbitrary<Map<String, Object>> authorizeBodies() {
        return body(fields("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname"), "state", "s"));
    }

    @Property
    void authorizeWhenBodyArbitraryThenNever5xx(@ForAll("authorizeBodies") Map<String, Object> body) {
        json("POST", "/api/v1/oauth/authorize", partner.basic(), body);
    }

    @Provide
    Arbitrary<Map<String, Object>> tokenBodies() {
        return body(fields("authorization_code", "A".repeat(64), "revoke_uri", "https://partner.example/revoke"));
    }

    @Property
    void tokenExchangeWhenBodyArbitraryThenNever5xx(@ForAll("tokenBodies") Map<String, Object> body) {
        json("POST", "/api/v1/oauth/token", partner.basic(), body);
    }

    @Provide
    Arbitrary<Map<String, Object>> userBodies() {
        return body(fields("phone", "+77", "email", "x@example.com", "firstname", "Dana", "lastname", "Serikova",
                "patronymic", "A", "date_of_birth", "1990-05-17", "gender", "F", "country", "KAZ", "nationality", "Kazakh",
                "identifier", "900517400123", "phones", List.of("+77011112233"), "emails", List.of("d@example.com")));
    }

    @Property
    void userCreateWhenBodyArbitraryThenNever5xx(@ForAll("userBodies") Map<String, Object> body) {
        json("POST", "/api/v1/oauth/user", Http.bearer(serviceToken), body);
    }

    @Property
    void userUpdateWhenBodyArbitraryThenNever5xx(@ForAll("userBodies") Map<String, Object> body,
                                                 @ForAll("freedomIds") Object freedomId) {
        body.put("freedom_id", freedomId);
        json("PUT", "/api/v1/oauth/user", Http.bearer(serviceToken), body);
    }

    @Provide
    Arbitrary<Object> freedomIds() {
        return Arbitraries.oneOf(Arbitraries.create(() -> (Object) java.util.UUID.randomUUID().toString()), value(1));
    }

    @Provide
    Arbitrary<Map<String, Object>> profileBodies() {
        return body(fields("request_id", "00000000-0000-4000-8000-000000000001", "created_at", "2026-01-01T00:00:00Z"));
    }

    @Property
    void getProfileWhenBodyArbitraryThenNever5xx(@ForAll("profileBodies") Map<String, Object> body) {
        json("POST", "/api/v1/oauth/get-profile", Http.bearer(profileToken), body);
    }

    // --- OIDC forms (contract 4.3, 4.5) ---

    @Provide
    Arbitrary<Map<String, Object>> oidcTokenForms() {
        return body(fields("grant_type", "authorization_code", "code", "x", "redirect_uri", OidcTestSupport.CALLBACK,
                "code_verifier", "v".repeat(43), "refresh_token", "r", "scope", "openid", "client_id", "c", "client_secret", "s"));
    }

    @Property
    void oidcTokenWhenFormArbitraryThenNever5xx(@ForAll("oidcTokenForms") Map<String, Object> body) {
        form("/api/v1/oidc/token", body);
    }

    @Provide
    Arbitrary<Map<String, Object>> tokenHintForms() {
        return body(fields("token", "t", "token_type_hint", "access_token"));
    }

    @Property
    void oidcIntrospectWhenFormArbitraryThenNever5xx(@ForAll("tokenHintForms") Map<String, Object> body) {
        form("/api/v1/oidc/introspect", body);
    }

    @Property
    void oidcRevokeWhenFormArbitraryThenNever5xx(@ForAll("tokenHintForms") Map<String, Object> body) {
        form("/api/v1/oidc/revoke", body);
    }

    @Property
    void oidcTokenWhenRawBytesThenNever5xx(@ForAll byte[] raw) {
        check(() -> server.http().send("POST", "/api/v1/oidc/token", client.basic(), "application/x-www-form-urlencoded", raw));
    }
}
