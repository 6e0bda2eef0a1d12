package kz.freedomid.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import java.util.List;
import java.util.Set;
import kz.freedomid.partner.ClientSettings;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Nimbus OAuth 2.0 / OpenID Connect SDK as a strict, independent client: discovery, the code flow with PKCE,
 * id_token signature and claims, userinfo, refresh with rotation, and revocation.
 */
class StrictClientTest {
    static final URI CALLBACK = URI.create("https://rp.example/oidc/callback");
    static TestServer server;
    static OIDCProviderMetadata metadata;
    static ClientID clientId;
    static Secret secret;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        var registered = server.app.partners.register(new PartnerService.NewPartner("Strict RP", List.of(CALLBACK.toString()),
                Set.of(Grant.OPENID, Grant.READ_FIRSTNAME, Grant.READ_LASTNAME, Grant.READ_PHONE), null,
                new ClientSettings(false, List.of("https://rp.example/bye"), null, Set.of(), "RS256")));
        clientId = new ClientID(registered.partner().clientId().toString());
        secret = new Secret(registered.clientSecret());
        metadata = OIDCProviderMetadata.resolve(new Issuer(server.app.config.issuer()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record SignedIn(OIDCTokenResponse tokens, Nonce nonce) {}

    static SignedIn signIn(Browser browser, String phone) throws Exception {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest request = new AuthenticationRequest.Builder(new ResponseType("code"),
                new Scope("openid", "read.firstname", "read.phone"), clientId, CALLBACK)
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(metadata.getAuthorizationEndpointURI()).build();
        Browser.Page toLogin = browser.get(request.toURI().toString());
        assertThat(toLogin.status()).as(toLogin.body()).isEqualTo(303);
        String back = Flows.approvedRedirect(server, browser, toLogin.location(), phone);

        AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(back));
        assertThat(response.indicatesSuccess()).as(back).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        assertThat(response.toSuccessResponse().getIssuer()).isEqualTo(metadata.getIssuer()); // RFC 9207
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

        var tokenResponse = OIDCTokenResponseParser.parse(new TokenRequest(metadata.getTokenEndpointURI(),
                new ClientSecretBasic(clientId, secret), new AuthorizationCodeGrant(code, CALLBACK, verifier))
                .toHTTPRequest().send());
        assertThat(tokenResponse.indicatesSuccess()).as(() -> tokenResponse.toErrorResponse().getErrorObject().toString()).isTrue();
        return new SignedIn((OIDCTokenResponse) tokenResponse.toSuccessResponse(), nonce);
    }

    @Test
    void discoveryAdvertisesTheContractsEndpointsAndChoices() {
        assertThat(metadata.getAuthorizationEndpointURI().getPath()).isEqualTo("/openid");
        assertThat(metadata.getTokenEndpointURI().getPath()).isEqualTo("/api/v1/oidc/token");
        assertThat(metadata.getUserInfoEndpointURI().getPath()).isEqualTo("/api/v1/oidc/userinfo");
        assertThat(metadata.getJWKSetURI().getPath()).isEqualTo("/api/v1/oidc/jwks");
        assertThat(metadata.getEndSessionEndpointURI().getPath()).isEqualTo("/api/v1/oidc/logout");
        assertThat(metadata.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
        assertThat(metadata.getIDTokenJWSAlgs()).contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        assertThat(metadata.getScopes().toStringList()).contains("openid", "read.firstname", "read.cards");
        assertThat(metadata.supportsAuthorizationResponseIssuerParam()).isTrue();
    }

    @Test
    void codeFlowWithPkceGivesAnIdTokenTheValidatorAccepts() throws Exception {
        SignedIn signedIn = signIn(server.browser(), Flows.newPhone());
        var tokens = signedIn.tokens().getOIDCTokens();
        IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), clientId, JWSAlgorithm.RS256,
                metadata.getJWKSetURI().toURL());
        IDTokenClaimsSet claims = validator.validate(tokens.getIDToken(), signedIn.nonce());
        AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.RS256, claims.getAccessTokenHash());
        assertThat(claims.getAuthenticationTime()).isNotNull();
        assertThat(claims.getStringClaim("sid")).isNotBlank();
        assertThat(claims.getStringListClaim("amr")).containsExactly("sms");
        assertThat(tokens.getAccessToken().getLifetime()).isEqualTo(7 * 24 * 3600);
        assertThat(tokens.getAccessToken().getScope().toStringList()).containsExactlyInAnyOrder("openid", "read.firstname", "read.phone");

        UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(metadata.getUserInfoEndpointURI(),
                (BearerAccessToken) tokens.getAccessToken()).toHTTPRequest().send());
        assertThat(info.indicatesSuccess()).isTrue();
        var userInfo = info.toSuccessResponse().getUserInfo();
        assertThat(userInfo.getSubject()).isEqualTo(claims.getSubject());
        assertThat(userInfo.getGivenName()).isEqualTo("Dana");
        assertThat(userInfo.getPhoneNumber()).startsWith("+");
        assertThat(userInfo.getPhoneNumberVerified()).isTrue();
        assertThat(userInfo.getFamilyName()).as("read.lastname was not asked for").isNull();
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenIsInvalidGrant() throws Exception {
        var tokens = signIn(server.browser(), Flows.newPhone()).tokens().getOIDCTokens();
        RefreshToken first = tokens.getRefreshToken();
        var refreshed = OIDCTokenResponseParser.parse(new TokenRequest(metadata.getTokenEndpointURI(),
                new ClientSecretPost(clientId, secret), new RefreshTokenGrant(first)).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess()).isTrue();
        var second = ((OIDCTokenResponse) refreshed.toSuccessResponse()).getOIDCTokens();
        assertThat(second.getRefreshToken()).isNotEqualTo(first);
        assertThat(second.getIDToken()).isNotNull();

        var reused = OIDCTokenResponseParser.parse(new TokenRequest(metadata.getTokenEndpointURI(),
                new ClientSecretPost(clientId, secret), new RefreshTokenGrant(first)).toHTTPRequest().send());
        assertThat(reused.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) reused).getErrorObject().getCode()).isEqualTo("invalid_grant");
        var afterReuse = UserInfoResponse.parse(new UserInfoRequest(metadata.getUserInfoEndpointURI(),
                (BearerAccessToken) second.getAccessToken()).toHTTPRequest().send());
        assertThat(afterReuse.indicatesSuccess()).as("reuse revokes the whole grant").isFalse();
    }

    @Test
    void revokedAccessTokenNoLongerReadsUserinfo() throws Exception {
        var tokens = signIn(server.browser(), Flows.newPhone()).tokens().getOIDCTokens();
        var revoke = new TokenRevocationRequest(metadata.getRevocationEndpointURI(), new ClientSecretBasic(clientId, secret),
                tokens.getAccessToken()).toHTTPRequest().send();
        assertThat(revoke.getStatusCode()).isEqualTo(200);
        var info = UserInfoResponse.parse(new UserInfoRequest(metadata.getUserInfoEndpointURI(),
                (BearerAccessToken) tokens.getAccessToken()).toHTTPRequest().send());
        assertThat(info.indicatesSuccess()).isFalse();
        assertThat(info.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(401);
    }
}
