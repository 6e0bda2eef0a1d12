package kz.freedomid.registration;

import static kz.freedomid.registration.RegistrationTestSupport.CALLBACK;
import static kz.freedomid.registration.RegistrationTestSupport.initialToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformation;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformationResponse;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationRequest;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationResponseParser;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientUpdateRequest;
import java.net.URI;
import java.util.Set;
import kz.freedomid.oidc.OidcTestSupport;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A standard client library (Nimbus OAuth 2.0 SDK) finds the registration endpoint by discovery, registers, reads,
 * updates and deletes its registration, and parses every answer, errors included.
 */
class RegistrationNimbusClientTest {
    static TestServer server;
    static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        var provider = OIDCProviderMetadata.resolve(new com.nimbusds.oauth2.sdk.id.Issuer(server.app.config.issuer()));
        endpoint = provider.getRegistrationEndpointURI();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static OIDCClientMetadata metadata(String redirectUri) {
        OIDCClientMetadata m = new OIDCClientMetadata();
        m.setRedirectionURI(URI.create(redirectUri));
        m.setName("Nimbus RP");
        m.setScope(Scope.parse("openid read.firstname read.phone"));
        m.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        m.setResponseTypes(Set.of(ResponseType.CODE));
        m.setTokenEndpointAuthMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        return m;
    }

    static ClientRegistrationResponse parse(HTTPResponse response) throws Exception {
        return OIDCClientRegistrationResponseParser.parse(response);
    }

    @Test
    void aNimbusClientRegistersReadsUpdatesDeletesAndSignsAUserIn() throws Exception {
        String initial = initialToken(server);
        var token = new BearerAccessToken(initial);
        var registered = parse(new OIDCClientRegistrationRequest(endpoint, metadata(CALLBACK), token).toHTTPRequest().send());
        // A refusal here was seen once under heavy load and not reproduced: the message says what the database held.
        assertThat(registered.indicatesSuccess()).as(() -> registered.indicatesSuccess() ? ""
                : ((ClientRegistrationErrorResponse) registered).getErrorObject().toJSONObject() + "; token rows usable now: "
                + server.count("SELECT COUNT(*) FROM registration_tokens WHERE token_hash = ? AND revoked_at IS NULL"
                        + " AND expires_at > ?", kz.freedomid.platform.Secrets.sha256(initial), server.clock.instant())
                + ", clients: " + server.count("SELECT COUNT(*) FROM client_registrations")).isTrue();
        OIDCClientInformation info = ((OIDCClientInformationResponse) registered).getOIDCClientInformation();
        assertThat(info.getOIDCMetadata().getRedirectionURIs()).containsExactly(URI.create(CALLBACK));
        assertThat(info.getSecret()).isNotNull();

        var rp = new OidcTestSupport.Client(info.getID().getValue(), info.getSecret().getValue(), CALLBACK);
        assertThat(OidcTestSupport.exchange(server, rp, OidcTestSupport.code(server, rp)).path("id_token").asText()).isNotBlank();

        var read = parse(new ClientReadRequest(info.getRegistrationURI(), info.getRegistrationAccessToken()).toHTTPRequest().send());
        assertThat(read.indicatesSuccess()).isTrue();
        assertThat(((OIDCClientInformationResponse) read).getOIDCClientInformation().getID()).isEqualTo(info.getID());

        var updated = parse(new OIDCClientUpdateRequest(info.getRegistrationURI(), info.getID(), info.getRegistrationAccessToken(),
                metadata("https://rp.example/second"), info.getSecret()).toHTTPRequest().send());
        assertThat(updated.indicatesSuccess()).as(String.valueOf(updated)).isTrue();
        OIDCClientInformation after = ((OIDCClientInformationResponse) updated).getOIDCClientInformation();
        assertThat(after.getOIDCMetadata().getRedirectionURIs()).containsExactly(URI.create("https://rp.example/second"));

        HTTPResponse deleted = new ClientDeleteRequest(after.getRegistrationURI(), after.getRegistrationAccessToken())
                .toHTTPRequest().send();
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        HTTPResponse goneResponse = new ClientReadRequest(after.getRegistrationURI(), after.getRegistrationAccessToken())
                .toHTTPRequest().send();
        assertThat(goneResponse.getStatusCode()).isEqualTo(401);
        var gone = parse(goneResponse);
        assertThat(gone.indicatesSuccess()).isFalse();
        assertThat(((ClientRegistrationErrorResponse) gone).getErrorObject().getCode()).isEqualTo("invalid_token");
    }

    @Test
    void aNimbusClientParsesTheRfcErrors() throws Exception {
        var token = new BearerAccessToken(initialToken(server));
        var badUri = parse(new OIDCClientRegistrationRequest(endpoint, metadata("http://rp.example/cb"), token).toHTTPRequest().send());
        assertThat(((ClientRegistrationErrorResponse) badUri).getErrorObject().getCode()).isEqualTo("invalid_redirect_uri");
        var badToken = parse(new OIDCClientRegistrationRequest(endpoint, metadata(CALLBACK), new BearerAccessToken("x"))
                .toHTTPRequest().send());
        assertThat(((ClientRegistrationErrorResponse) badToken).getErrorObject().getCode()).isEqualTo("invalid_token");
    }
}
