package kz.freedomid.sdk;

import static kz.freedomid.sdk.SdkTestSupport.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kz.freedomid.client.AuthorizationLink;
import kz.freedomid.client.CallbackVerifier;
import kz.freedomid.client.FreedomIdClient;
import kz.freedomid.client.FreedomIdException;
import kz.freedomid.client.FreedomUser;
import kz.freedomid.client.InvalidCallbackException;
import kz.freedomid.client.Profile;
import kz.freedomid.client.ProfileDecryptor;
import kz.freedomid.client.ProfileRequestResult;
import kz.freedomid.client.ProfileStatus;
import kz.freedomid.client.RefreshingTokens;
import kz.freedomid.client.TokenPair;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The partner flow of contract section 3 driven through the Java SDK against a real server. */
class SdkPartnerFlowTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_JOB_POLL_MS", "100"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Authorize link → hosted pages → code; returns the code after checking the echoed state. */
    private static String signIn(FreedomIdClient client, Browser browser, List<String> grants) {
        AuthorizationLink link = client.authorizationLink(REDIRECT, grants, "st-42");
        assertThat(link.expiresAt()).isAfter(Instant.now(server.clock));
        String back = Flows.approvedRedirect(server, browser, SdkTestSupport.pathAndQuery(link.url()), Flows.newPhone());
        assertThat(back).startsWith(REDIRECT);
        assertThat(Flows.query(back)).containsEntry("state", "st-42");
        return Flows.query(back).get("authorization_code");
    }

    @Test
    void signInReadUserRefreshAndFetchTheDecryptedProfile() {
        RSAKey key = SdkTestSupport.profileKey();
        FreedomIdClient client = SdkTestSupport.client(server, SdkTestSupport.partner(server, key, null));
        String code = signIn(client, server.browser(), List.of("read.firstname", "read.phone", "read.profile"));

        TokenPair tokens = client.exchangeCode(code);
        assertThat(tokens.accessToken()).matches("[A-Za-z0-9]{128}");
        assertThat(tokens.accessExpiresAt()).isAfter(Instant.now(server.clock).plus(Duration.ofDays(6)));
        FreedomUser user = client.userInfo(tokens.accessToken());
        assertThat(user.firstname()).isEqualTo("Dana");
        assertThat(user.phone()).startsWith("+");
        assertThat(user.isReleased("email")).isFalse();

        TokenPair refreshed = client.refresh(tokens.refreshToken());
        assertThat(refreshed.id()).isNotEqualTo(tokens.id());
        assertThatThrownBy(() -> client.userInfo(tokens.accessToken()))
                .isInstanceOfSatisfying(FreedomIdException.class, e -> assertThat(e.code()).isEqualTo(100002));

        UUID requestId = UUID.randomUUID();
        ProfileRequestResult accepted = client.requestProfile(refreshed.accessToken(), requestId);
        assertThat(accepted.status()).isEqualTo("accepted");
        assertThat(accepted.freedomId()).isEqualTo(user.id());
        ProfileStatus status = client.awaitProfile(refreshed.accessToken(), requestId, Duration.ofSeconds(20), Duration.ofMillis(50));
        assertThat(status.status()).as(status.statusMessage()).isEqualTo("completed");
        Profile profile = new ProfileDecryptor(key).decrypt(status.encryptedProfile());
        assertThat(profile.freedomId()).isEqualTo(user.id());
        assertThat(profile.firstname()).isEqualTo("Dana");
        assertThat(profile.phone()).isEqualTo(user.phone());
        assertThat(profile.phoneVerified()).isTrue();
    }

    @Test
    void profileEncryptedWithEcdhEsDecryptsWithThePartnersEcKey() {
        ECKey key = SdkTestSupport.ecProfileKey();
        FreedomIdClient client = SdkTestSupport.client(server, SdkTestSupport.partner(server, key, null));
        TokenPair tokens = client.exchangeCode(signIn(client, server.browser(), List.of("read.firstname", "read.profile")));
        UUID requestId = UUID.randomUUID();
        assertThat(client.requestProfile(tokens.accessToken(), requestId).status()).isEqualTo("accepted");
        ProfileStatus status = client.awaitProfile(tokens.accessToken(), requestId, Duration.ofSeconds(20), Duration.ofMillis(50));
        assertThat(status.status()).as(status.statusMessage()).isEqualTo("completed");
        assertThat(ProfileDecryptor.fromJwkJson(key.toJSONString()).decrypt(status.encryptedProfile()).firstname()).isEqualTo("Dana");
        assertThatThrownBy(() -> new ProfileDecryptor(SdkTestSupport.ecProfileKey()).decrypt(status.encryptedProfile()))
                .as("another key").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refreshingTokensShareOneRotationAcrossThreads() throws Exception {
        FreedomIdClient client = SdkTestSupport.client(server, SdkTestSupport.partner(server, null, null));
        TokenPair initial = client.exchangeCode(signIn(client, server.browser(), List.of("read.firstname")));

        RefreshingTokens fresh = client.refreshingTokens(initial, Duration.ofMinutes(1));
        assertThat(fresh.accessToken()).as("far from expiry: no refresh").isEqualTo(initial.accessToken());

        // Asking to refresh 8 days ahead of a 7-day token makes every call rotate: concurrent calls must queue up,
        // or one would present an already rotated refresh token and the server would revoke the grant (100105).
        RefreshingTokens always = client.refreshingTokens(initial, Duration.ofDays(8));
        List<Future<String>> calls = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) calls.add(pool.submit((Callable<String>) always::accessToken));
            for (Future<String> call : calls) assertThat(call.get()).matches("[A-Za-z0-9]{128}");
        }
        assertThat(always.peek().id()).isNotEqualTo(initial.id());
        assertThat(client.userInfo(always.peek().accessToken()).firstname()).isEqualTo("Dana");
    }

    @Test
    void revokeCallbackVerifiesAgainstTheServersJwks() {
        try (var receiver = new SdkTestSupport.Receiver()) {
            FreedomIdClient client = SdkTestSupport.client(server,
                    SdkTestSupport.partner(server, null, receiver.url("/revoke")));
            Browser browser = server.browser();
            TokenPair tokens = client.exchangeCode(signIn(client, browser, List.of("openid", "read.firstname")));
            assertThat(tokens.idToken()).isNotNull();

            Browser.Page out = browser.get("/api/v1/oidc/logout?id_token_hint=" + tokens.idToken());
            assertThat(out.status()).as(out.body()).isEqualTo(200);
            SdkTestSupport.await(server, "revoke callback", 20, () -> !receiver.requests.isEmpty());

            var received = receiver.requests.get(0);
            CallbackVerifier verifier = client.callbackVerifier();
            assertThat(verifier.verify(received.signature(), received.body())).isEqualTo(tokens.id());
            byte[] forged = ("{\"id\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> verifier.verify(received.signature(), forged)).isInstanceOf(InvalidCallbackException.class);
            assertThatThrownBy(() -> client.userInfo(tokens.accessToken()))
                    .isInstanceOfSatisfying(FreedomIdException.class, e -> assertThat(e.code()).isEqualTo(100002));
        }
    }
}
