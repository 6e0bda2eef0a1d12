package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.ApiTestSupport.randomToken;
import static kz.freedomid.oauth.UserApiTestSupport.PATH;
import static kz.freedomid.oauth.UserApiTestSupport.body;
import static kz.freedomid.oauth.UserApiTestSupport.created;
import static kz.freedomid.oauth.UserApiTestSupport.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One path, two kinds of token: {@code GET /api/v1/oauth/user} serves a user's access token (3.5), {@code POST} and
 * {@code PUT} a partner's service token with {@code users:write} (3.8, 3.9). The wrong kind is 403, no valid token 401.
 */
class UserApiTokenKindTest {
    static TestServer server;
    static Flows.TestPartner writer;
    static Flows.TestPartner reader;
    static String writerToken;
    static String readerToken;
    static UUID createdUser;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        writer = UserApiTestSupport.partner(server, "users:write");
        reader = UserApiTestSupport.partner(server); // no permissions
        writerToken = serviceToken(server, writer);
        readerToken = serviceToken(server, reader);
        createdUser = created(server, writerToken, Flows.newPhone());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response send(String method, String authorization) {
        if (method.equals("GET")) return server.http().get(PATH, authorization);
        Map<String, Object> body = method.equals("POST") ? body("phone", Flows.newPhone())
                : body("freedom_id", createdUser.toString(), "firstname", "Changed");
        return server.http().json(method, PATH, authorization, body);
    }

    /** A user signs in through the hosted pages and consents; the partner exchanges the code for the user's token. */
    private static String userToken(User user) {
        String link = Flows.loginLink(server, writer, List.of("read.firstname"), null);
        String location = Flows.approvedRedirect(server, server.browser(), link, user.phone());
        return Flows.exchange(server, writer, Flows.query(location).get("authorization_code")).accessToken();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "POST", "PUT"})
    void whenNoValidTokenThen401(String method) {
        for (String authorization : new String[] {null, "Bearer ", Http.bearer("short"), Http.bearer(randomToken()),
                writer.basic()}) {
            Http.Response response = send(method, authorization);
            assertError(response, 401, 100002);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT"})
    void writeWhenAUsersAccessTokenThen403AndNothingWritten(String method) {
        String token = userToken(Flows.user(server, null));
        long users = server.count("SELECT COUNT(*) FROM users");

        assertError(send(method, Http.bearer(token)), 403, 100003);

        assertThat(server.count("SELECT COUNT(*) FROM users")).isEqualTo(users);
        assertThat(server.app.users.find(createdUser).orElseThrow().firstname()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT"})
    void writeWhenAServiceTokenWithoutUsersWriteThen403(String method) {
        long users = server.count("SELECT COUNT(*) FROM users");
        assertError(send(method, Http.bearer(readerToken)), 403, 100003);
        assertThat(server.count("SELECT COUNT(*) FROM users")).isEqualTo(users);
    }

    @Test
    void readWhenAServiceTokenThen403AndWhenAUsersTokenThen200() {
        assertError(send("GET", Http.bearer(writerToken)), 403, 100003);
        assertError(send("GET", Http.bearer(readerToken)), 403, 100003);

        User user = Flows.user(server, null);
        Http.Response info = send("GET", Http.bearer(userToken(user)));
        assertThat(info.status()).as(info.body()).isEqualTo(200);
        assertThat(info.json().get("id").asText()).isEqualTo(user.id().toString());
    }

    @Test
    void profileRequestWhenAServiceTokenThen403() {
        Http.Response response = server.http().json("POST", "/api/v1/oauth/get-profile", Http.bearer(writerToken),
                body("request_id", UUID.randomUUID().toString()));
        assertError(response, 403, 100003);
    }

    @Test
    void writeWhenTheServiceTokenExpiredThen401() {
        Flows.TestPartner partner = UserApiTestSupport.partner(server, "users:write");
        String token = serviceToken(server, partner);
        server.clock.advance(Duration.ofDays(7));
        try {
            assertError(server.http().json("POST", PATH, Http.bearer(token), body("phone", Flows.newPhone())), 401, 100002);
        } finally {
            server.clock.advance(Duration.ofDays(-7));
        }
    }

    @Test
    void writeWhenThePartnerLostUsersWriteThenItsLiveServiceTokenIs403() {
        Flows.TestPartner partner = UserApiTestSupport.partner(server, "users:write");
        String token = serviceToken(server, partner);
        created(server, token, Flows.newPhone());

        assertThat(server.app.partners.setPermissions(UUID.fromString(partner.clientId()), Set.of())).isTrue();

        assertError(server.http().json("POST", PATH, Http.bearer(token), body("phone", Flows.newPhone())), 403, 100003);
    }

    @Test
    void writeWhenAServiceTokenWasRevokedThen401() {
        Flows.TestPartner partner = UserApiTestSupport.partner(server, "users:write");
        String token = serviceToken(server, partner);
        Http.Response revoked = server.http().send("POST", "/api/v1/oidc/revoke", partner.basic(),
                "application/x-www-form-urlencoded", ("token=" + token).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(revoked.status()).isEqualTo(200);

        assertError(server.http().json("POST", PATH, Http.bearer(token), body("phone", Flows.newPhone())), 401, 100002);
    }
}
