package kz.freedomid.sdk;

import static kz.freedomid.sdk.SdkTestSupport.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kz.freedomid.client.FreedomIdClient;
import kz.freedomid.client.FreedomIdException;
import kz.freedomid.client.ManagedUser;
import kz.freedomid.client.OAuthErrorException;
import kz.freedomid.client.ServiceToken;
import kz.freedomid.client.TokenPair;
import kz.freedomid.client.UserFields;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed errors and the user-management calls of the SDK against a real server. */
class SdkErrorsAndUsersTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static FreedomIdClient newPartnerClient(String... permissions) {
        return SdkTestSupport.client(server, SdkTestSupport.partner(server, null, null, permissions));
    }

    private static String code(FreedomIdClient client) {
        var link = client.authorizationLink(REDIRECT, List.of("read.firstname"), null);
        String back = Flows.approvedRedirect(server, server.browser(), SdkTestSupport.pathAndQuery(link.url()), Flows.newPhone());
        return Flows.query(back).get("authorization_code");
    }

    @Test
    void unknownCodeIs100101() {
        FreedomIdClient client = newPartnerClient();
        assertThatThrownBy(() -> client.exchangeCode("not-a-code")).isInstanceOfSatisfying(FreedomIdException.class, e -> {
            assertThat(e.code()).isEqualTo(FreedomIdException.INVALID_AUTHORIZATION_CODE);
            assertThat(e.httpStatus()).isEqualTo(400);
        });
    }

    @Test
    void reusedRefreshTokenIs100105AndRevokesTheGrant() {
        FreedomIdClient client = newPartnerClient();
        TokenPair first = client.exchangeCode(code(client));
        TokenPair second = client.refresh(first.refreshToken());
        assertThatThrownBy(() -> client.refresh(first.refreshToken())).isInstanceOfSatisfying(FreedomIdException.class, e -> {
            assertThat(e.code()).isEqualTo(FreedomIdException.REFRESH_TOKEN_REUSED);
            assertThat(e.httpStatus()).isEqualTo(401);
        });
        assertThatThrownBy(() -> client.userInfo(second.accessToken()))
                .isInstanceOfSatisfying(FreedomIdException.class, e -> assertThat(e.code()).isEqualTo(100002));
    }

    @Test
    void validationErrorCarriesTheFieldMap() {
        FreedomIdClient client = newPartnerClient();
        assertThatThrownBy(() -> client.authorizationLink(REDIRECT, List.of("read.firstname", "read.nothing"), null))
                .isInstanceOfSatisfying(FreedomIdException.class, e -> {
                    assertThat(e.code()).isEqualTo(FreedomIdException.VALIDATION_FAILED);
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.fieldErrors()).containsOnlyKeys("grants.1");
                    assertThat(e.fieldErrors().get("grants.1")).isNotEmpty();
                });
    }

    @Test
    void wrongClientSecretIs100001() {
        var partner = SdkTestSupport.partner(server, null, null);
        FreedomIdClient client = SdkTestSupport.client(server, new SdkTestSupport.Partner(partner.clientId(), "wrong"));
        assertThatThrownBy(() -> client.authorizationLink(REDIRECT, List.of("read.firstname"), null))
                .isInstanceOfSatisfying(FreedomIdException.class, e -> assertThat(e.code()).isEqualTo(100001));
    }

    @Test
    void createAndPartiallyUpdateAUserWithAServiceToken() {
        FreedomIdClient client = newPartnerClient("users:write");
        ServiceToken token = client.serviceToken("users:write");
        String phone = Flows.newPhone();
        String email = "sdk-" + phone.substring(1) + "@example.kz";
        String id = client.createUser(token, UserFields.create().phone(phone).email(email).firstname("Aruzhan").lastname("Sadykova"));
        assertThat(id).matches("[0-9a-f-]{36}");

        ManagedUser updated = client.updateUser(token, id, UserFields.create().email(null).lastname("Bekova"));
        assertThat(updated.freedomId()).isEqualTo(id);
        assertThat(updated.json().has("email")).isTrue();
        assertThat(updated.email()).as("explicit null clears").isNull();
        assertThat(updated.lastname()).isEqualTo("Bekova");
        assertThat(updated.firstname()).as("omitted stays").isEqualTo("Aruzhan");
        assertThat(updated.phone()).isEqualTo(phone);

        assertThatThrownBy(() -> client.createUser(token, UserFields.create().firstname("No phone")))
                .isInstanceOfSatisfying(FreedomIdException.class, e -> assertThat(e.fieldErrors()).containsKey("phone"));
        assertThatThrownBy(() -> client.createUser(token, UserFields.create().phone(phone)))
                .isInstanceOfSatisfying(FreedomIdException.class, e -> assertThat(e.code()).isEqualTo(100007));
    }

    @Test
    void serviceTokenBeyondThePartnersPermissionsIsAnOAuthError() {
        FreedomIdClient client = newPartnerClient();
        assertThatThrownBy(() -> client.serviceToken("users:write"))
                .isInstanceOfSatisfying(OAuthErrorException.class, e -> assertThat(e.error()).isEqualTo("invalid_scope"));
    }
}
