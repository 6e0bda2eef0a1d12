package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behind a proxy (FREEDOM_ID_CLIENT_IP_HEADER set), the sessions list and the audit trail record the caller's address
 * from the header, not the proxy's; a header value that is no IP address is ignored.
 */
class ClientAddressTest {
    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start(true, Map.of("FREEDOM_ID_CLIENT_IP_HEADER", "X-Forwarded-For"));
        partner = Flows.partner(server, Grant.READ_FIRSTNAME);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void signInBehindProxyRecordsTheCallersAddressFromTheHeader() {
        String recorded = signInAndRecordedAddress("198.51.100.1, 203.0.113.7");
        assertThat(recorded).isEqualTo("203.0.113.7"); // the right-most entry: the address the last proxy saw
    }

    @Test
    void headerThatIsNoAddressIsIgnored() {
        String recorded = signInAndRecordedAddress("<script>alert(1)</script>");
        assertThat(recorded).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]");
    }

    private static String signInAndRecordedAddress(String header) {
        User user = Flows.user(server, null);
        Browser browser = server.browser().header("X-Forwarded-For", header);
        Flows.approvedRedirect(server, browser, Flows.loginLink(server, partner, List.of("read.firstname"), null), user.phone());
        String sessionIp = server.app.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT ip FROM web_sessions WHERE user_id = ?").bind(0, user.id()).mapTo(String.class).one());
        List<String> auditIps = server.app.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT DISTINCT client_ip FROM audit_events WHERE subject = ? OR actor_id = ?")
                .bind(0, user.id().toString()).bind(1, user.id().toString()).mapTo(String.class).list());
        assertThat(auditIps).as("audit trail of the sign-in").isNotEmpty().containsOnly(sessionIp);
        return sessionIp;
    }
}
