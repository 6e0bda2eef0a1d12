package kz.freedomid.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kz.freedomid.App;
import kz.freedomid.platform.Config;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL count against the same buckets. Run in the PostgreSQL execution only (the H2 one
 * excludes it in the pom): the embedded H2 serves one node and keeps its buckets in that node's memory.
 */
class RateLimitTwoNodesTest {
    static TestServer server;
    static App second;
    static String secondUrl;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of(
                "FREEDOM_ID_CLIENT_IP_HEADER", "X-Forwarded-For",
                "FREEDOM_ID_RATE_OTP_PER_IP_HOUR", "2",
                "FREEDOM_ID_RATE_CLIENT_PER_SECOND", "1", "FREEDOM_ID_RATE_CLIENT_BURST", "3"));
        Config c = server.app.config;
        second = new App(c.withPort(0), server.clock).start();
        secondUrl = "http://localhost:" + second.port();
    }

    @AfterAll
    static void stop() {
        second.close();
        server.close();
    }

    static Browser.Page sendCode(Browser browser, String phone) {
        String link = Flows.loginLink(server, Flows.partner(server), List.of("read.firstname"), null);
        Browser.Page phonePage = browser.get(link);
        return browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
    }

    @Test
    void smsCodesFromOneAddressCountOnceAcrossBothNodes() {
        Browser first = server.browser().header("X-Forwarded-For", "192.0.2.10");
        Browser other = new Browser(secondUrl).header("X-Forwarded-For", "192.0.2.10");
        assertThat(sendCode(first, Flows.newPhone()).status()).isEqualTo(200);
        assertThat(sendCode(other, Flows.newPhone()).status()).isEqualTo(200);

        Browser.Page refusedHere = sendCode(first, Flows.newPhone());
        Browser.Page refusedThere = sendCode(other, Flows.newPhone());
        assertThat(refusedHere.status()).isEqualTo(429);
        assertThat(refusedThere.status()).isEqualTo(429);
        assertThat(refusedThere.header("Retry-After")).isEqualTo("1800");
        assertThat(server.count("SELECT COUNT(*) FROM rate_limit_buckets WHERE id LIKE 'otp_send_ip:192.0.2.10@%' "
                + "AND expires_at IS NOT NULL")).isEqualTo(1);

        server.clock.advance(Duration.ofMinutes(30));
        assertThat(sendCode(other, Flows.newPhone()).status()).isEqualTo(200);
        assertThat(sendCode(first, Flows.newPhone()).status()).isEqualTo(429);
    }

    @Test
    void aClientThatUsedItsBurstOnOneNodeIsRefusedOnTheOther() {
        Flows.TestPartner partner = Flows.partner(server);
        Map<String, Object> body = Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname"));
        Http here = server.http().withHeader("X-Forwarded-For", "192.0.2.20");
        Http there = new Http(secondUrl).withHeader("X-Forwarded-For", "192.0.2.21");
        for (int i = 0; i < 3; i++) {
            assertThat(here.json("POST", "/api/v1/oauth/authorize", partner.basic(), body).status()).isEqualTo(200);
        }
        assertThat(here.json("POST", "/api/v1/oauth/authorize", partner.basic(), body).status()).isEqualTo(429);
        Http.Response refused = there.json("POST", "/api/v1/oauth/authorize", partner.basic(), body);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.errorCode()).isEqualTo(100005);

        server.clock.advance(Duration.ofSeconds(1));
        assertThat(there.json("POST", "/api/v1/oauth/authorize", partner.basic(), body).status()).isEqualTo(200);
    }

    @Test
    void bucketsThatExpiredAreDeleted() {
        RateLimiter limiter = RateLimiter.create(server.app.config.rateLimits(), true, server.app.database.dataSource(),
                server.clock, new SimpleMeterRegistry());
        assertThat(limiter.tryAcquire(RateLimiter.Limit.OTP_SEND_PER_IP, "192.0.2.30")).isEmpty();
        assertThat(limiter.tryAcquire(RateLimiter.Limit.OTP_SEND_PER_IP, "192.0.2.31")).isEmpty();
        server.execute("UPDATE rate_limit_buckets SET expires_at = 0 WHERE id LIKE 'otp_send_ip:192.0.2.30@%'");

        assertThat(limiter.removeExpired()).isPositive();
        assertThat(server.count("SELECT COUNT(*) FROM rate_limit_buckets WHERE id LIKE 'otp_send_ip:192.0.2.30@%'")).isZero();
        assertThat(server.count("SELECT COUNT(*) FROM rate_limit_buckets WHERE id LIKE 'otp_send_ip:192.0.2.31@%'")).isEqualTo(1);
    }
}
