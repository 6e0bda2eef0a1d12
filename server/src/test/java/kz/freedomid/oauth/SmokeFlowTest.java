package kz.freedomid.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import kz.freedomid.client.FreedomIdClient;
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
        // Through the partner SDK (client/), as a partner's code would.
        var client = FreedomIdClient.builder(URI.create(server.baseUrl), partner.clientId(), partner.secret()).build();
        String code = Flows.codeFrom(server, partner, List.of("read.firstname", "read.phone"));
        var tokens = client.exchangeCode(code);
        var info = client.userInfo(tokens.accessToken());
        assertThat(info.firstname()).isEqualTo("Dana");
        assertThat(info.isReleased("email")).isFalse();
        assertThat(info.phone()).startsWith("+");
    }

    @Test
    void metricsExposeTheJobQueue() {
        var metrics = server.http().get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("freedom_id_jobs_queued").contains("freedom_id_jobs_failing");
    }
}
