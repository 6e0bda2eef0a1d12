package kz.freedomid.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmokeFlowTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void partnerSignsNewUserInAndReadsConsentedFields() {
        var partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_PHONE, Grant.READ_EMAIL);
        String code = Flows.codeFrom(server, partner, List.of("read.firstname", "read.phone"));
        var tokens = Flows.exchange(server, partner, code);
        var info = server.http().get("/api/v1/oauth/user", "Bearer " + tokens.accessToken());
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().get("firstname").asText()).isEqualTo("Dana");
        assertThat(info.json().has("email")).isFalse();
        assertThat(info.json().get("phone").asText()).startsWith("+");
    }

    @Test
    void metricsExposeTheJobQueue() {
        var metrics = server.http().get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("freedom_id_jobs_queued").contains("freedom_id_jobs_failing");
    }
}
