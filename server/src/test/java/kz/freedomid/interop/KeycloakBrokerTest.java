package kz.freedomid.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.NewUser;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interoperability: Keycloak (from Maven Central, started by interop/keycloak/keycloak.sh) as an OpenID Connect
 * broker in front of Freedom ID. Keycloak is configured the way its admin console does it: the identity provider's
 * settings come from our discovery document ("Discovery endpoint"), plus the client id and secret of a partner
 * registered for Keycloak. A browser then signs in to an application of Keycloak's realm through Freedom ID, and
 * Keycloak must have created the brokered user with our first name, last name and email, linked to our freedom_id.
 *
 * <p>Runs once per build: server/pom.xml excludes {@code **}{@code /interop/**} from the H2 execution, so it runs
 * in the PostgreSQL one. It fails, never skips, when Keycloak cannot be fetched or started.
 */
class KeycloakBrokerTest {
    private static final String REALM = "interop";
    private static final String ALIAS = "freedom-id";
    private static final String APP = "shop-app";
    private static final String SCOPE = "openid read.firstname read.lastname read.email";

    private static Keycloak keycloak;
    private static TestServer server;

    @BeforeAll
    static void startKeycloakAndFreedomId() throws Exception {
        long began = System.nanoTime();
        keycloak = Keycloak.start();
        System.out.printf("KeycloakBrokerTest: Keycloak ready at %s after %d s (fetch included when not cached)%n",
                keycloak.baseUrl, Duration.ofNanos(System.nanoTime() - began).toSeconds());
        server = TestServer.start(); // development mode: SMS to the outbox
    }

    @AfterAll
    static void stopBoth() {
        try {
            if (keycloak != null) keycloak.close();
        } finally {
            if (server != null) server.close();
        }
    }

    @Test
    void keycloakConfiguredFromOurDiscoveryDocumentSignsAUserInThroughFreedomId() {
        String brokerEndpoint = keycloak.baseUrl + "/realms/" + REALM + "/broker/" + ALIAS + "/endpoint";
        String appRedirect = "http://127.0.0.1:" + unusedPort() + "/callback"; // the application; never requested

        // --- Freedom ID's side: a partner for Keycloak, as `./freedom-id partner create` registers it, and a user. ---
        var partner = server.app.partners.register(new PartnerService.NewPartner("Keycloak", List.of(brokerEndpoint),
                Set.of(Grant.OPENID, Grant.READ_FIRSTNAME, Grant.READ_LASTNAME, Grant.READ_EMAIL, Grant.READ_PHONE), null));
        String clientId = partner.partner().clientId().toString();
        String password = "keycloak-interop-" + Long.toHexString(System.nanoTime());
        User user = server.app.users.create(new NewUser(Flows.newPhone(), "aigerim.nurlanova@example.kz", "Aigerim", "Nurlanova",
                password, true, null));

        // --- Our discovery document: the only thing besides client id and secret that Keycloak is given. ---
        String discoveryUrl = server.baseUrl + "/.well-known/openid-configuration";
        Http.Response discoveryResponse = server.http().get(discoveryUrl, null);
        assertThat(discoveryResponse.status())
                .as("GET %s (contract 4.1)\n%s", discoveryUrl, discoveryResponse.body())
                .isEqualTo(200);
        JsonNode discovery = discoveryResponse.json();
        assertThat(discovery.path("issuer").asText()).isEqualTo(server.baseUrl);

        // --- Keycloak's side, through its admin REST API: a realm, an application, the identity provider. ---
        keycloak.admin(201, "POST", "", Map.of("realm", REALM, "enabled", true));
        keycloak.admin(201, "POST", "/" + REALM + "/clients", Map.of("clientId", APP, "publicClient", true,
                "standardFlowEnabled", true, "directAccessGrantsEnabled", false, "redirectUris", List.of(appRedirect)));

        // "Add provider → OpenID Connect v1.0 → Discovery endpoint": the console imports the document like this.
        ObjectNode config = (ObjectNode) keycloak.admin(200, "POST", "/" + REALM + "/identity-provider/import-config",
                Map.of("providerId", "oidc", "fromUrl", discoveryUrl)).json();
        System.out.println("KeycloakBrokerTest: Keycloak imported from our discovery document: " + config);
        assertThat(config.path("issuer").asText()).isEqualTo(discovery.path("issuer").asText());
        assertThat(config.path("authorizationUrl").asText()).isEqualTo(discovery.path("authorization_endpoint").asText());
        assertThat(config.path("tokenUrl").asText()).isEqualTo(discovery.path("token_endpoint").asText());
        assertThat(config.path("userInfoUrl").asText()).isEqualTo(discovery.path("userinfo_endpoint").asText());
        assertThat(config.path("jwksUrl").asText()).isEqualTo(discovery.path("jwks_uri").asText());
        assertThat(config.path("useJwksUrl").asText()).isEqualTo("true");
        assertThat(config.path("validateSignature").asText()).isEqualTo("true");
        // What the admin types in besides the discovery endpoint (README "Use Freedom ID from Keycloak").
        config.put("clientId", clientId);
        config.put("clientSecret", partner.clientSecret());
        config.put("clientAuthMethod", "client_secret_post");
        config.put("defaultScope", SCOPE);
        config.put("pkceEnabled", "true");
        config.put("pkceMethod", "S256");
        config.put("syncMode", "IMPORT");
        keycloak.admin(201, "POST", "/" + REALM + "/identity-provider/instances", Map.of(
                "alias", ALIAS, "displayName", "Freedom ID", "providerId", "oidc", "enabled", true,
                "trustEmail", true, "config", config));

        // First broker login: Keycloak 26's default flow reviews the profile only when a required attribute (email,
        // first name, last name in the default user profile) is missing. Freedom ID releases all three, so no form.
        assertThat(firstBrokerLoginReviewMode()).as("first broker login 'Review Profile' update.profile.on.first.login").isEqualTo("missing");

        // Our server's test clock is frozen at its start; Keycloak checks id_token times against the real clock.
        server.clock.advance(Duration.between(server.clock.instant(), Instant.now()));

        // --- The browser: the application sends it to Keycloak, whose login page offers "Freedom ID". ---
        LoopbackBrowser browser = new LoopbackBrowser();
        String appState = "app-state-" + System.nanoTime();
        LoopbackBrowser.Page loginPage = browser.get(keycloak.baseUrl + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id="
                + APP + "&redirect_uri=" + enc(appRedirect) + "&response_type=code&scope=openid&state=" + appState);
        assertThat(loginPage.status()).as(loginPage.text()).isEqualTo(200);
        var idpLink = loginPage.document().selectFirst("a[href*=/broker/" + ALIAS + "/login]");
        assertThat(idpLink).as("link to the Freedom ID provider on Keycloak's login page:\n%s", loginPage.body()).isNotNull();
        assertThat(idpLink.text()).contains("Freedom ID");

        LoopbackBrowser.Page toFreedomId = browser.get(loginPage.uri().resolve(idpLink.attr("href")));
        assertThat(toFreedomId.isRedirect()).as("%s\n%s", toFreedomId, toFreedomId.body()).isTrue();
        URI authorize = toFreedomId.location();
        assertThat(authorize.getScheme() + "://" + authorize.getAuthority() + authorize.getPath())
                .isEqualTo(discovery.path("authorization_endpoint").asText());
        Map<String, String> request = Flows.query(authorize.toString());
        assertThat(request).containsEntry("client_id", clientId).containsEntry("redirect_uri", brokerEndpoint)
                .containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(request.get("scope").split(" ")).contains("openid", "read.firstname", "read.lastname", "read.email");
        String keycloakState = request.get("state");

        // --- Freedom ID's authorization endpoint (contract 4.2), then its hosted login and consent pages. ---
        // GET /openid → our hosted login (/login?track_id=…): phone, then password.
        LoopbackBrowser.Page phonePage = browser.followWhile(browser.get(authorize), 5, uri -> uri.getPort() == serverPort());
        assertThat(phonePage.status()).as("%s after %s\n%s", phonePage, browser.history, phonePage.text()).isEqualTo(200);
        LoopbackBrowser.Page passwordPage = browser.submit(phonePage, "/login/phone", Map.of("phone", user.phone(), "method", "password"));
        assertThat(passwordPage.status()).as(passwordPage.text()).isEqualTo(200);
        LoopbackBrowser.Page signedIn = browser.submit(passwordPage, "/login/password", Map.of("password", password));
        assertThat(signedIn.isRedirect()).as("%s\n%s", signedIn, signedIn.text()).isTrue();

        // Consent names Keycloak (the partner) and the grants; approve.
        LoopbackBrowser.Page consent = browser.followWhile(signedIn, 3, uri -> uri.getPort() == serverPort());
        assertThat(consent.status()).as("%s\n%s", consent, consent.text()).isEqualTo(200);
        assertThat(consent.text()).contains("Keycloak");
        LoopbackBrowser.Page approved = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        assertThat(approved.status()).as("%s\n%s", approved, approved.text()).isEqualTo(303);

        // Back to Keycloak's broker endpoint with code, Keycloak's state and our iss (RFC 9207).
        URI callback = approved.location();
        assertThat(callback.toString()).startsWith(brokerEndpoint + "?");
        Map<String, String> response = Flows.query(callback.toString());
        assertThat(response).containsKey("code").containsEntry("state", keycloakState)
                .containsEntry("iss", discovery.path("issuer").asText()).doesNotContainKey("error");

        // Keycloak exchanges the code (client_secret_post + PKCE), checks the id_token against our JWKS, reads
        // userinfo, runs the first broker login flow and sends the browser on to the application with a code.
        LoopbackBrowser.Page atApp = browser.followWhile(browser.get(callback), 10, uri -> uri.getPort() == keycloak.port);
        assertThat(atApp.isRedirect())
                .as("Keycloak did not send the browser on to the application; last page %s:\n%s\nhistory %s\nKeycloak log:\n%s",
                        atApp, atApp.text(), browser.history, keycloak.logTail(40))
                .isTrue();
        URI appCallback = atApp.location();
        assertThat(appCallback.toString()).startsWith(appRedirect + "?");
        Map<String, String> appResponse = Flows.query(appCallback.toString());
        assertThat(appResponse).as(appCallback.toString()).containsKey("code").containsEntry("state", appState).doesNotContainKey("error");

        // The application redeems its code at Keycloak and gets an id_token for the brokered user.
        Http.Response appTokens = keycloak.form("/realms/" + REALM + "/protocol/openid-connect/token", null, Map.of(
                "grant_type", "authorization_code", "code", appResponse.get("code"), "redirect_uri", appRedirect, "client_id", APP));
        assertThat(appTokens.status()).as(appTokens.body()).isEqualTo(200);
        JsonNode idToken = jwtPayload(appTokens.json().path("id_token").asText());
        assertThat(idToken.path("email").asText()).isEqualTo("aigerim.nurlanova@example.kz");
        assertThat(idToken.path("given_name").asText()).isEqualTo("Aigerim");
        assertThat(idToken.path("family_name").asText()).isEqualTo("Nurlanova");

        // --- Keycloak created the brokered user from our claims and linked it to the freedom_id. ---
        JsonNode users = keycloak.adminJson("/" + REALM + "/users?briefRepresentation=false&exact=true&email="
                + enc("aigerim.nurlanova@example.kz"));
        assertThat(users.size()).as(users.toString()).isEqualTo(1);
        JsonNode brokered = users.get(0);
        assertThat(brokered.path("firstName").asText()).isEqualTo("Aigerim");
        assertThat(brokered.path("lastName").asText()).isEqualTo("Nurlanova");
        assertThat(brokered.path("email").asText()).isEqualTo("aigerim.nurlanova@example.kz");
        assertThat(brokered.path("emailVerified").asBoolean()).as("trustEmail").isTrue();
        JsonNode links = keycloak.adminJson("/" + REALM + "/users/" + brokered.path("id").asText() + "/federated-identity");
        assertThat(links.size()).as(links.toString()).isEqualTo(1);
        assertThat(links.get(0).path("identityProvider").asText()).isEqualTo(ALIAS);
        assertThat(links.get(0).path("userId").asText()).as("sub = freedom_id").isEqualTo(user.id().toString());
        System.out.println("KeycloakBrokerTest: Keycloak signed " + brokered.path("username").asText() + " in through Freedom ID: "
                + String.join(" | ", browser.history).replaceAll("\\?[^ |]*", ""));
    }

    private String firstBrokerLoginReviewMode() {
        for (JsonNode execution : keycloak.adminJson("/" + REALM + "/authentication/flows/" + enc("first broker login").replace("+", "%20")
                + "/executions")) {
            if ("idp-review-profile".equals(execution.path("providerId").asText()) && execution.hasNonNull("authenticationConfig")) {
                return keycloak.adminJson("/" + REALM + "/authentication/config/" + execution.path("authenticationConfig").asText())
                        .path("config").path("update.profile.on.first.login").asText();
            }
        }
        return null;
    }

    private static int serverPort() {
        return URI.create(server.baseUrl).getPort();
    }

    private static int unusedPort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode jwtPayload(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("a JWT: %s", jwt).hasSize(3);
        return Json.parse(Base64.getUrlDecoder().decode(parts[1]));
    }
}
