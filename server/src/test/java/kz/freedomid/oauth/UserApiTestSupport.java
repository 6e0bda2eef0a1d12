package kz.freedomid.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;

/** Shared by the user-management tests (contract 3.8, 3.9): partners with permissions and their service tokens. */
public final class UserApiTestSupport {
    public static final String PATH = "/api/v1/oauth/user";

    private UserApiTestSupport() {}

    /** A partner allowed every grant, with these service-token permissions. */
    public static Flows.TestPartner partner(TestServer server, String... permissions) {
        String redirectUri = "https://bank.example/callback";
        var registered = server.app.partners.register(new PartnerService.NewPartner("Test Bank", List.of(redirectUri),
                Grant.all(), null, new ClientSettings(false, List.of(), null, Set.of(permissions), "RS256")));
        return new Flows.TestPartner(registered.partner().clientId().toString(), registered.clientSecret(), redirectUri);
    }

    /** grant_type=client_credentials at the OIDC token endpoint (contract 4.3). */
    public static String serviceToken(TestServer server, Flows.TestPartner partner) {
        byte[] form = "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8);
        Http.Response response = server.http().send("POST", "/api/v1/oidc/token", partner.basic(),
                "application/x-www-form-urlencoded", form);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }

    public static Http.Response create(TestServer server, String token, Object body) {
        return server.http().json("POST", PATH, Http.bearer(token), body);
    }

    public static Http.Response update(TestServer server, String token, Object body) {
        return server.http().json("PUT", PATH, Http.bearer(token), body);
    }

    /** Creates a user with this phone and these other fields (key, value, …); returns its freedom_id. */
    public static UUID created(TestServer server, String token, String phone, Object... keyValues) {
        Map<String, Object> body = body(keyValues);
        body.put("phone", phone);
        Http.Response response = create(server, token, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return UUID.fromString(response.json().get("freedom_id").asText());
    }

    /** A JSON object from key, value, …; a null value stays in the map and is sent as JSON null. */
    public static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) out.put((String) keyValues[i], keyValues[i + 1]);
        return out;
    }

    public static String text(JsonNode node, String field) {
        return node.get(field).isNull() ? null : node.get(field).asText();
    }
}
