package kz.freedomid.oidc;

import static kz.freedomid.oidc.OidcTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.admin.PartnerAdmin;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** client_secret_jwt (RFC 7523 §2.2 with an HMAC, OIDC Core §9), opt-in per partner, its secret sealed under the master key. */
class OidcClientSecretJwtTest {
    static TestServer server;
    static String issuer;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        issuer = server.app.config.issuer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Client optedIn() {
        var registered = server.app.partnerAdmin.create(new PartnerService.NewPartner("HMAC RP", List.of(CALLBACK), GRANTS, null,
                settings(false, java.util.Set.of(), "RS256")), true, PartnerAdmin.CLI);
        return new Client(registered.partner().clientId().toString(), registered.clientSecret(), CALLBACK);
    }

    static JWTClaimsSet.Builder claims(Client client, String audience) {
        Instant now = server.clock.instant();
        return new JWTClaimsSet.Builder().issuer(client.clientId()).subject(client.clientId()).audience(audience)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)));
    }

    static String mac(JWTClaimsSet claims, JWSAlgorithm alg, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> auth(Map<String, String> params, String assertion) {
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        out.put("client_assertion", assertion);
        return out;
    }

    static Http.Response introspect(String assertion) {
        return postForm(server, "/api/v1/oidc/introspect", null, auth(Map.of("token", "nope"), assertion));
    }

    @Test
    void anHmacAssertionAuthenticatesAtTheTokenEndpointParIntrospectionAndRevocation() {
        Client client = optedIn();
        Code code = code(server, client);
        long pairs = count(server, "token_pairs");
        Http.Response tokens = tokenForm(server, null, auth(codeGrant(code),
                mac(claims(client, issuer + "/api/v1/oidc/token").build(), JWSAlgorithm.HS256, client.secret())));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(count(server, "token_pairs")).isEqualTo(pairs + 1);
        Http.Response par = postForm(server, "/api/v1/oidc/par", null, auth(request(client, verifier()),
                mac(claims(client, issuer).build(), JWSAlgorithm.HS384, client.secret())));
        assertThat(par.status()).as(par.body()).isEqualTo(201);
        assertThat(introspect(mac(claims(client, issuer).build(), JWSAlgorithm.HS512, client.secret())).status()).isEqualTo(200);
        Http.Response revoke = postForm(server, "/api/v1/oidc/revoke", null, auth(Map.of("token", "nope"),
                mac(claims(client, issuer).build(), JWSAlgorithm.HS256, client.secret())));
        assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);
        // The secret is at rest only as its hash and sealed: never in plain text.
        assertThat(server.count("SELECT COUNT(*) FROM client_secret_jwt WHERE sealed_secret LIKE ?", "%" + client.secret() + "%"))
                .isZero();
        assertThat(server.count("SELECT COUNT(*) FROM client_secret_jwt WHERE client_id = ? AND sealed_secret IS NOT NULL",
                UUID.fromString(client.clientId()))).isEqualTo(1);
    }

    @Test
    void badHmacAssertionsAreInvalidClientAndChangeNothing() {
        Client client = optedIn();
        Instant now = server.clock.instant();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("wrong audience", mac(claims(client, "https://elsewhere.example/token").build(), JWSAlgorithm.HS256, client.secret()));
        bad.put("expired", mac(claims(client, issuer).expirationTime(Date.from(now.minusSeconds(120))).build(),
                JWSAlgorithm.HS256, client.secret()));
        bad.put("wrong MAC", mac(claims(client, issuer).build(), JWSAlgorithm.HS256, "x".repeat(64)));
        bad.put("sub differs", mac(claims(client, issuer).subject(UUID.randomUUID().toString()).build(), JWSAlgorithm.HS256,
                client.secret()));
        long jtis = count(server, "client_assertion_jtis");
        long pairs = count(server, "token_pairs");
        Code code = code(server, client);
        bad.forEach((name, assertion) -> {
            assertThat(assertOAuthError(introspect(assertion), 401, "invalid_client")).as(name).isNotNull();
            assertOAuthError(tokenForm(server, null, auth(codeGrant(code), assertion)), 401, "invalid_client");
        });
        assertThat(count(server, "client_assertion_jtis")).isEqualTo(jtis);
        assertThat(count(server, "token_pairs")).isEqualTo(pairs);
        // The code was not spent by the refused attempts.
        Http.Response good = tokenForm(server, null, auth(codeGrant(code),
                mac(claims(client, issuer).build(), JWSAlgorithm.HS256, client.secret())));
        assertThat(good.status()).as(good.body()).isEqualTo(200);
    }

    @Test
    void aReplayedJtiIsInvalidClient() {
        Client client = optedIn();
        String once = mac(claims(client, issuer).build(), JWSAlgorithm.HS256, client.secret());
        assertThat(introspect(once).status()).isEqualTo(200);
        long jtis = count(server, "client_assertion_jtis");
        assertOAuthError(introspect(once), 401, "invalid_client");
        assertOAuthError(postForm(server, "/api/v1/oidc/revoke", null, auth(Map.of("token", "nope"), once)), 401, "invalid_client");
        assertThat(count(server, "client_assertion_jtis")).isEqualTo(jtis);
    }

    @Test
    void aPartnerThatDidNotOptInCannotUseItsSecretAsAnHmacKey() {
        Client plain = confidential(server);
        assertOAuthError(introspect(mac(claims(plain, issuer).build(), JWSAlgorithm.HS256, plain.secret())), 401, "invalid_client");
        assertThat(server.count("SELECT COUNT(*) FROM client_secret_jwt WHERE client_id = ?", UUID.fromString(plain.clientId())))
                .isZero();
    }

    @Test
    void rotationReSealsAndSwitchingOnLaterWaitsForTheNextRotation() {
        Client client = optedIn();
        UUID id = UUID.fromString(client.clientId());
        String rotated = server.app.partnerAdmin.rotateSecret(id, PartnerAdmin.CLI).orElseThrow();
        assertOAuthError(introspect(mac(claims(client, issuer).build(), JWSAlgorithm.HS256, client.secret())), 401, "invalid_client");
        assertThat(introspect(mac(claims(client, issuer).build(), JWSAlgorithm.HS256, rotated)).status()).isEqualTo(200);

        Client later = confidential(server);
        UUID laterId = UUID.fromString(later.clientId());
        assertThat(server.app.partnerAdmin.setClientSecretJwt(laterId, true, PartnerAdmin.CLI)).isTrue();
        assertOAuthError(introspect(mac(claims(later, issuer).build(), JWSAlgorithm.HS256, later.secret())), 401, "invalid_client");
        String laterSecret = server.app.partnerAdmin.rotateSecret(laterId, PartnerAdmin.CLI).orElseThrow();
        assertThat(introspect(mac(claims(later, issuer).build(), JWSAlgorithm.HS256, laterSecret)).status()).isEqualTo(200);
        // Basic authentication with the secret keeps working beside it.
        assertThat(postForm(server, "/api/v1/oidc/introspect", Http.basic(later.clientId(), laterSecret), Map.of("token", "nope"))
                .status()).isEqualTo(200);

        assertThat(server.app.partnerAdmin.setClientSecretJwt(laterId, false, PartnerAdmin.CLI)).isTrue();
        assertOAuthError(introspect(mac(claims(later, issuer).build(), JWSAlgorithm.HS256, laterSecret)), 401, "invalid_client");
        assertThat(server.count("SELECT COUNT(*) FROM client_secret_jwt WHERE client_id = ?", laterId)).isZero();
    }

    @Test
    void aPublicClientCannotOptIn() {
        Client pub = publicClient(server);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.app.partnerAdmin.setClientSecretJwt(
                UUID.fromString(pub.clientId()), true, PartnerAdmin.CLI)).isInstanceOf(kz.freedomid.partner.InvalidPartnerException.class);
    }
}
