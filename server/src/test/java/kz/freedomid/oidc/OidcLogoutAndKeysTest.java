package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.login.LoginRoutes;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RP-initiated logout (contract 4.5), signing keys with ES256 and rotation, and discovery (contract 4.1). */
class OidcLogoutAndKeysTest {
    static final String LOGOUT = "/api/v1/oidc/logout";
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

    /** A browser signed in to {@code client}, its session handle, and the tokens it got. */
    record Session(Browser browser, String handle, JsonNode tokens) {}

    static Session signedIn(TestServer on, Client as) {
        Browser browser = on.browser();
        JsonNode tokens = exchange(on, as, code(on, browser, as, Flows.newPhone()));
        return new Session(browser, browser.cookie(LoginRoutes.SESSION_COOKIE).getValue(), tokens);
    }

    static String logoutUrl(Map<String, String> params) {
        return LOGOUT + "?" + form(params);
    }

    /** Whether the browser's session still signs in: /openid then answers with a code at once. */
    static boolean stillSignedIn(Session session) {
        session.browser().setCookie(LoginRoutes.SESSION_COOKIE, session.handle());
        Browser.Page page = session.browser().follow(session.browser().get(url(request(client))));
        if (page.status() == 303 && Flows.query(page.location()).containsKey("code")) return true;
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.document().selectFirst("form[action=/login/phone]")).isNotNull();
        return false;
    }

    static boolean tokensWork(Session session) {
        return userinfo(server, session.tokens().get("access_token").asText()).status() == 200;
    }

    static void assertErrorPage(Browser.Page page) {
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.location()).isNull();
    }

    @Test
    void aValidHintForTheSessionEndsItAndReturnsToTheRegisteredUriWithState() {
        Session session = signedIn(server, client);
        Browser.Page page = session.browser().get(logoutUrl(Map.of("id_token_hint", session.tokens().get("id_token").asText(),
                "post_logout_redirect_uri", LOGOUT_RETURN, "state", "bye-1")));
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location()).isEqualTo(LOGOUT_RETURN + "?state=bye-1");
        assertThat(tokensWork(session)).as("tokens of the session are revoked").isFalse();
        assertOAuthError(tokenForm(server, client.basic(), Map.of("grant_type", "refresh_token",
                "refresh_token", session.tokens().get("refresh_token").asText())), 400, "invalid_grant");
        assertThat(stillSignedIn(session)).as("the old session cookie no longer signs in").isFalse();
    }

    @Test
    void anUnregisteredReturnUriOrABadHintShowsAPageAndEndsNothing() {
        Session session = signedIn(server, client);
        String hint = session.tokens().get("id_token").asText();
        assertErrorPage(session.browser().get(logoutUrl(Map.of("id_token_hint", hint,
                "post_logout_redirect_uri", "https://evil.example/bye"))));
        Client other = confidential(server);
        assertErrorPage(session.browser().get(logoutUrl(Map.of("client_id", other.clientId(),
                "post_logout_redirect_uri", "https://evil.example/bye"))));
        assertErrorPage(session.browser().get(logoutUrl(Map.of("post_logout_redirect_uri", LOGOUT_RETURN))));
        assertErrorPage(session.browser().get(logoutUrl(Map.of("id_token_hint", "not.a.jwt"))));
        String[] parts = hint.split("\\.");
        assertErrorPage(session.browser().get(logoutUrl(Map.of("id_token_hint", parts[0] + "." + parts[1] + "." + parts[2].substring(4)))));
        assertErrorPage(session.browser().get(logoutUrl(Map.of("id_token_hint", foreignToken(hint)))));
        assertThat(tokensWork(session)).isTrue();
        assertThat(stillSignedIn(session)).isTrue();
    }

    /** The same claims and kid, signed with a key the server never had. */
    static String foreignToken(String idToken) {
        try {
            SignedJWT original = SignedJWT.parse(idToken);
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(original.getHeader().getKeyID()).build(),
                    original.getJWTClaimsSet());
            forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
            return forged.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutAHintTheUserConfirmsWithACsrfProtectedForm() {
        Session session = signedIn(server, client);
        Browser.Page confirm = session.browser().get(logoutUrl(Map.of("client_id", client.clientId(),
                "post_logout_redirect_uri", LOGOUT_RETURN, "state", "bye-2")));
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.form(LOGOUT).selectFirst("input[name=csrf]").attr("value")).isNotBlank();
        assertThat(tokensWork(session)).as("showing the page ends nothing").isTrue();

        Browser.Page noCsrf = session.browser().post(LOGOUT, Map.of("confirm", "yes", "client_id", client.clientId(),
                "post_logout_redirect_uri", LOGOUT_RETURN));
        assertThat(noCsrf.status()).as(noCsrf.body()).isEqualTo(200);
        assertThat(noCsrf.location()).isNull();
        Browser.Page wrongCsrf = session.browser().submit(confirm, LOGOUT, Map.of("csrf", "forged"));
        assertThat(wrongCsrf.location()).isNull();
        assertThat(tokensWork(session)).isTrue();

        Browser.Page done = session.browser().submit(confirm, LOGOUT, Map.of());
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.location()).isEqualTo(LOGOUT_RETURN + "?state=bye-2");
        assertThat(tokensWork(session)).isFalse();
        assertThat(stillSignedIn(session)).isFalse();
    }

    @Test
    void aHintOfAnotherSessionAsksForConfirmation() {
        Session mine = signedIn(server, client);
        Session theirs = signedIn(server, client);
        Browser.Page page = mine.browser().get(logoutUrl(Map.of("id_token_hint", theirs.tokens().get("id_token").asText())));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.form(LOGOUT)).isNotNull();
        assertThat(tokensWork(mine)).isTrue();
        assertThat(tokensWork(theirs)).isTrue();
    }

    @Test
    void anEs256ClientGetsAnEs256IdTokenVerifiableWithThePublishedKey() {
        Client es = register(server, GRANTS, settings(false, Set.of(), "ES256"));
        String idToken = exchange(server, es, code(server, es)).get("id_token").asText();
        JWK key = jwks(server).getKeyByKeyId(kid(idToken));
        assertThat(key).isInstanceOf(ECKey.class);
        assertThat(((ECKey) key).getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.isPrivate()).isFalse();
        JWTClaimsSet claims = verifyIdToken(server, idToken);
        assertThat(claims.getAudience()).containsExactly(es.clientId());

        String rsToken = exchange(server, client, code(server, client)).get("id_token").asText();
        assertThat(kid(rsToken)).isNotEqualTo(kid(idToken));
        assertThat(jwks(server).getKeyByKeyId(kid(rsToken)).getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    }

    @Test
    void afterAnImmediateRotationNewTokensUseTheNewKeyAndOldTokensStillVerify() {
        try (TestServer own = TestServer.start()) {
            Client rp = confidential(own);
            Session session = signedIn(own, rp);
            String before = session.tokens().get("id_token").asText();
            // Time passes around the rotation: with a frozen clock both keys would share an active_from, and the
            // database rounds active_from to microseconds, possibly a fraction after the frozen "now".
            own.clock.advance(Duration.ofSeconds(1));
            List<String> kids = own.app.signingKeys().rotate(Duration.ZERO);
            own.clock.advance(Duration.ofMillis(1));

            JsonNode refreshed = refresh(own, rp, session.tokens().get("refresh_token").asText());
            String after = refreshed.get("id_token").asText();
            assertThat(kid(after)).isNotEqualTo(kid(before)).isIn(kids);
            verifyIdToken(own, after);
            assertThat(verifyIdToken(own, before).getSubject()).isEqualTo(verifyIdToken(own, after).getSubject());
            assertThat(jwks(own).getKeys()).extracting(JWK::getKeyID).contains(kid(before), kid(after));
        }
    }

    @Test
    void aRotationWithLeadPublishesTheNextKeyBeforeItSigns() {
        try (TestServer own = TestServer.start()) {
            Client rp = confidential(own);
            Session session = signedIn(own, rp);
            String oldKid = kid(session.tokens().get("id_token").asText());
            // Time passes before the rotation: the first key's active_from is stored rounded to microseconds and may
            // lie a fraction after the frozen "now"; the server would then find no active key and mint another one.
            own.clock.advance(Duration.ofMillis(1));
            List<String> kids = own.app.signingKeys().rotate(Duration.ofMinutes(10));
            assertThat(jwks(own).getKeys()).extracting(JWK::getKeyID).contains(oldKid).containsAll(kids);

            JsonNode early = refresh(own, rp, session.tokens().get("refresh_token").asText());
            assertThat(kid(early.get("id_token").asText())).isEqualTo(oldKid);
            own.clock.advance(Duration.ofMinutes(5));
            JsonNode later = refresh(own, rp, early.get("refresh_token").asText());
            assertThat(kid(later.get("id_token").asText())).isEqualTo(oldKid);

            own.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
            JsonNode rotated = refresh(own, rp, later.get("refresh_token").asText());
            assertThat(kid(rotated.get("id_token").asText())).isNotEqualTo(oldKid).isIn(kids);
            verifyIdToken(own, rotated.get("id_token").asText());
            verifyIdToken(own, session.tokens().get("id_token").asText());
        }
    }

    @Test
    void maintenanceRetiresTheOldKeyOnlyAfterTheRetention() {
        try (TestServer own = TestServer.start()) {
            Client rp = confidential(own);
            Session session = signedIn(own, rp);
            String old = session.tokens().get("id_token").asText();
            own.clock.advance(Duration.ofSeconds(1));
            own.app.signingKeys().rotate(Duration.ZERO);
            own.clock.advance(Duration.ofMillis(1));
            String fresh = refresh(own, rp, session.tokens().get("refresh_token").asText()).get("id_token").asText();
            assertThat(kid(fresh)).isNotEqualTo(kid(old));
            Duration retention = Duration.ofHours(2);

            own.clock.advance(Duration.ofHours(1));
            own.app.signingKeys().maintain(Duration.ofDays(30), Duration.ofDays(1), retention);
            assertThat(jwks(own).getKeyByKeyId(kid(old))).as("still published within the retention").isNotNull();
            verifyIdToken(own, old);

            own.clock.advance(Duration.ofHours(1).plusSeconds(1));
            own.app.signingKeys().maintain(Duration.ofDays(30), Duration.ofDays(1), retention);
            assertThat(jwks(own).getKeyByKeyId(kid(old))).as("retired").isNull();
            assertThat(jwks(own).getKeys()).hasSize(2); // the current RS256 and ES256 keys
            verifyIdToken(own, fresh);
        }
    }

    @Test
    void discoveryHasEveryFieldOfTheContract() {
        Http.Response response = server.http().get("/.well-known/openid-configuration", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode d = response.json();
        String issuer = server.app.config.issuer();
        assertThat(d.get("issuer").asText()).isEqualTo(issuer);
        assertThat(d.get("authorization_endpoint").asText()).isEqualTo(issuer + "/openid");
        assertThat(d.get("token_endpoint").asText()).isEqualTo(issuer + "/api/v1/oidc/token");
        assertThat(d.get("userinfo_endpoint").asText()).isEqualTo(issuer + "/api/v1/oidc/userinfo");
        assertThat(d.get("jwks_uri").asText()).isEqualTo(issuer + "/api/v1/oidc/jwks");
        assertThat(d.get("end_session_endpoint").asText()).isEqualTo(issuer + "/api/v1/oidc/logout");
        assertThat(d.get("revocation_endpoint").asText()).isEqualTo(issuer + "/api/v1/oidc/revoke");
        assertThat(d.get("introspection_endpoint").asText()).isEqualTo(issuer + "/api/v1/oidc/introspect");
        assertThat(strings(d, "scopes_supported")).containsExactlyInAnyOrderElementsOf(
                Grant.all().stream().map(Grant::wireName).toList());
        assertThat(strings(d, "response_types_supported")).containsExactly("code");
        assertThat(strings(d, "grant_types_supported"))
                .containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials",
                        "urn:ietf:params:oauth:grant-type:device_code");
        assertThat(d.get("device_authorization_endpoint").asText()).isEqualTo(issuer + "/api/v1/oidc/device");
        assertThat(strings(d, "subject_types_supported")).containsExactly("public");
        assertThat(strings(d, "id_token_signing_alg_values_supported")).containsExactly("RS256", "ES256");
        // The contract names basic and post; "none" is how public clients (PKCE, no secret) authenticate;
        // private_key_jwt is RFC 7523 with the client's registered JWK set.
        assertThat(strings(d, "token_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt",
                        "none");
        assertThat(strings(d, "introspection_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt");
        assertThat(strings(d, "code_challenge_methods_supported")).containsExactly("S256");
        assertThat(strings(d, "claims_supported")).contains("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
                "sid", "amr", "given_name", "family_name", "middle_name", "birthdate", "gender", "email", "email_verified",
                "phone_number", "phone_number_verified", "country", "nationality", "identifier", "emails", "phones", "cards");
        assertThat(d.get("backchannel_logout_supported").isBoolean()).isTrue();
        assertThat(d.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();

        for (String endpoint : List.of("jwks_uri", "userinfo_endpoint")) {
            String path = d.get(endpoint).asText().substring(issuer.length());
            assertThat(server.http().get(path, null).status()).as(path).isIn(200, 401);
        }
        assertThat(server.http().send("POST", "/api/v1oidc//token", null, null, null).status()).isEqualTo(404);
    }

    static List<String> strings(JsonNode d, String field) {
        assertThat(d.get(field).isArray()).as(field).isTrue();
        List<String> out = new java.util.ArrayList<>();
        d.get(field).forEach(v -> out.add(v.asText()));
        return out;
    }
}
