package kz.freedomid.profile;

import static kz.freedomid.profile.ProfileTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contract 3.6 and 3.7: accepting, idempotency, rejections, conflicts, validation, both ways of asking status. */
class ProfileRequestTest {
    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, fastJobs());
        partner = partnerWithRsaKey(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void acceptedThenCompletedAndRepostingIsIdempotent() {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();

        Http.Response accepted = post(server, user.accessToken(),
                Map.of("request_id", requestId, "created_at", "2025-03-04T06:35:50.000000Z"));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().get("request_id").asText()).isEqualTo(requestId);
        assertThat(accepted.json().get("status").asText()).isEqualTo("accepted");
        assertThat(accepted.json().get("status_message").asText()).isNotBlank();
        assertThat(accepted.json().get("freedom_id").asText()).isEqualTo(user.freedomId());

        JsonNode done = awaitFinished(server, user.accessToken(), requestId);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("freedom_id").asText()).isEqualTo(user.freedomId());
        assertThat(done.get("datetime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(done.get("profile").get("payload").asText().split("\\.")).hasSize(5);

        JsonNode again = postOk(server, user.accessToken(), requestId);
        assertThat(again.get("status").asText()).isEqualTo("completed");
        assertThat(again.get("freedom_id").asText()).isEqualTo(user.freedomId());
        assertThat(server.count("SELECT COUNT(*) FROM profile_requests WHERE request_id = ?", UUID.fromString(requestId)))
                .isEqualTo(1);
    }

    @Test
    void statusAcceptsTheRequestIdInTheQueryOrInAJsonBody() {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        postOk(server, user.accessToken(), requestId);
        awaitFinished(server, user.accessToken(), requestId);

        Http.Response byQuery = statusByQuery(server, user.accessToken(), requestId);
        Http.Response byBody = statusByBody(server, user.accessToken(), requestId);
        assertThat(byQuery.status()).as(byQuery.body()).isEqualTo(200);
        assertThat(byBody.status()).as(byBody.body()).isEqualTo(200);
        assertThat(byBody.json().get("status").asText()).isEqualTo("completed");
        assertThat(byBody.json().get("request_id").asText()).isEqualTo(requestId);
        assertThat(byBody.json().get("profile").get("payload").asText())
                .isEqualTo(byQuery.json().get("profile").get("payload").asText());
    }

    @Test
    void aRequestIdOfAnotherPartnerOrAnotherUserIsAConflict() {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        postOk(server, user.accessToken(), requestId);

        UserToken sameUserElsewhere = userToken(server, partnerWithRsaKey(server), PROFILE_GRANTS);
        Http.Response otherPartner = post(server, sameUserElsewhere.accessToken(), Map.of("request_id", requestId));
        assertThat(otherPartner.status()).as(otherPartner.body()).isEqualTo(409);
        assertThat(otherPartner.errorCode()).isEqualTo(100009);

        UserToken otherUser = userToken(server, partner, PROFILE_GRANTS);
        Http.Response sameRequestOtherUser = post(server, otherUser.accessToken(), Map.of("request_id", requestId));
        assertThat(sameRequestOtherUser.status()).as(sameRequestOtherUser.body()).isEqualTo(409);
        assertThat(sameRequestOtherUser.errorCode()).isEqualTo(100009);

        // Nor can they read it: to them it does not exist.
        assertThat(status(server, otherUser.accessToken(), requestId).get("status").asText()).isEqualTo("not_found");
        assertThat(status(server, sameUserElsewhere.accessToken(), requestId).get("status").asText()).isEqualTo("not_found");
    }

    @Test
    void aTokenWithoutReadProfileIsRejected() {
        UserToken user = userToken(server, partner, List.of("read.firstname"));
        String requestId = newRequestId();
        JsonNode answer = postOk(server, user.accessToken(), requestId);
        assertThat(answer.get("status").asText()).isEqualTo("rejected");
        assertThat(answer.get("status_message").asText()).contains("read.profile");
        assertThat(answer.get("freedom_id").asText()).isEqualTo(user.freedomId());
        assertThat(server.count("SELECT COUNT(*) FROM profile_requests WHERE request_id = ?", UUID.fromString(requestId)))
                .isZero();
    }

    @Test
    void aPartnerWithoutAProfileKeyIsRejected() {
        Flows.TestPartner keyless = partner(server, null);
        UserToken user = userToken(server, keyless, PROFILE_GRANTS);
        JsonNode answer = postOk(server, user.accessToken(), newRequestId());
        assertThat(answer.get("status").asText()).isEqualTo("rejected");
        assertThat(answer.get("status_message").asText()).contains("encryption key");
    }

    @Test
    void withdrawnConsentIsRejected() {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        server.execute("DELETE FROM consents WHERE user_id = ? AND client_id = ?", UUID.fromString(user.freedomId()),
                UUID.fromString(partner.clientId()));
        JsonNode answer = postOk(server, user.accessToken(), newRequestId());
        assertThat(answer.get("status").asText()).isEqualTo("rejected");
        assertThat(answer.get("status_message").asText()).contains("withdrawn consent");
    }

    @Test
    void anUnknownRequestIdIsNotFound() {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        String requestId = newRequestId();
        JsonNode answer = status(server, user.accessToken(), requestId);
        assertThat(answer.get("status").asText()).isEqualTo("not_found");
        assertThat(answer.get("request_id").asText()).isEqualTo(requestId);
        assertThat(answer.has("profile")).isFalse();
    }

    @Test
    void aMissingOrInvalidRequestIdIs422() {
        UserToken user = userToken(server, partner, PROFILE_GRANTS);
        for (Object body : List.<Object>of(Map.of(), Map.of("request_id", "not-a-uuid"), Map.of("request_id", 42),
                Map.of("request_id", ""))) {
            Http.Response response = post(server, user.accessToken(), body);
            assertThat(response.status()).as(response.body()).isEqualTo(422);
            assertThat(response.errorCode()).isEqualTo(100004);
            assertThat(response.json().get("error").get("errors").get("request_id")).isNotEmpty();
        }
        Http.Response badDate = post(server, user.accessToken(), Map.of("request_id", newRequestId(), "created_at", "yesterday"));
        assertThat(badDate.status()).as(badDate.body()).isEqualTo(422);
        assertThat(badDate.json().get("error").get("errors").has("created_at")).isTrue();

        Http.Response noId = server.http().get("/api/v1/oauth/get-profile/status", Http.bearer(user.accessToken()));
        assertThat(noId.status()).as(noId.body()).isEqualTo(422);
        assertThat(noId.errorCode()).isEqualTo(100004);
        Http.Response badId = statusByQuery(server, user.accessToken(), "12345");
        assertThat(badId.status()).as(badId.body()).isEqualTo(422);
        assertThat(badId.json().get("error").get("errors").has("request_id")).isTrue();
    }

    @Test
    void bothEndpointsNeedAValidAccessToken() {
        Http.Response post = post(server, "x".repeat(128), Map.of("request_id", newRequestId()));
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.errorCode()).isEqualTo(100002);
        Http.Response status = server.http().get("/api/v1/oauth/get-profile/status?request_id=" + newRequestId(), null);
        assertThat(status.status()).isEqualTo(401);
        assertThat(status.errorCode()).isEqualTo(100002);
    }
}
