package kz.freedomid.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Outside development mode a client's jwks_uri cannot point this server at its own network (SSRF). */
class RemoteJwksAddressTest {

    @Test
    void internalAddressesAreRefusedAndPublicOnesAllowed() {
        for (String host : new String[] {"127.0.0.1", "localhost", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "[::1]", "[fd00::1]", "[fe80::1]", "224.0.0.1"}) {
            assertThat(RemoteJwks.publicHost(host)).as(host).isFalse();
        }
        assertThat(RemoteJwks.publicHost("8.8.8.8")).isTrue();
        assertThat(RemoteJwks.publicHost("[2001:4860:4860::8888]")).isTrue();
    }

    @Test
    void anHttpsJwksUriOnALoopbackAddressIsNeverConnectedToOutsideDevelopmentMode() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(1000);
            RemoteJwks jwks = new RemoteJwks(Clock.systemUTC(), false);
            String uri = "https://127.0.0.1:" + listener.getLocalPort() + "/jwks";

            assertThat(jwks.acceptable(uri)).as("an https URI is well formed").isTrue();
            assertThat(jwks.get(uri)).isEmpty();
            assertThat(jwks.refetch(uri)).isEmpty();
            boolean connected;
            try (var ignored = listener.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("no connection was made to the loopback address").isFalse();
        }
    }
}
