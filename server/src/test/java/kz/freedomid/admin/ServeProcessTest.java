package kz.freedomid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kz.freedomid.demo.DemoSeed;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** `freedom-id serve` as a user runs it: zero configuration but a port, the demo walk-through, then SIGTERM. */
class ServeProcessTest {
    @Test
    void serveWithDefaultsRunsTheDemoWalkThroughAndStopsOnSigterm() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("freedom-id-serve");
        var env = new java.util.HashMap<>(Map.of("FREEDOM_ID_PORT", String.valueOf(port),
                "FREEDOM_ID_DATA_DIR", dataDir.toString()));
        TestDatabases.TestDb db = null;
        if (TestDatabases.postgres()) {
            db = TestDatabases.create(true, dataDir);
            env.putAll(Map.of("FREEDOM_ID_DB_URL", db.url(), "FREEDOM_ID_DB_USER", db.user(), "FREEDOM_ID_DB_PASSWORD", db.password()));
        }
        ChildJvm.Started serve = ChildJvm.start(env, "serve");
        try {
            String base = "http://localhost:" + port;
            waitUntilReady(serve, new Http(base));
            assertThat(serve.stdout()).contains("listening on " + base).contains("Demo user:    phone " + DemoSeed.DEMO_PHONE);
            if (!TestDatabases.postgres()) assertThat(Files.exists(dataDir.resolve("freedom-id.mv.db"))).isTrue();

            // The README's walk-through: /demo → Sign in with Freedom ID → password → Allow → the callback page.
            Browser browser = new Browser(base);
            Browser.Page start = browser.submit(browser.get("/demo"), "/demo/start", Map.of());
            assertThat(start.status()).as(start.body()).isEqualTo(303);
            Browser.Page phone = browser.get(start.location());
            Browser.Page password = browser.submit(phone, "/login/phone", Map.of("phone", DemoSeed.DEMO_PHONE, "method", "password"));
            Browser.Page signedIn = browser.submit(password, "/login/password", Map.of("password", DemoSeed.DEMO_PASSWORD));
            assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
            Browser.Page consent = browser.follow(signedIn);
            Browser.Page back = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
            assertThat(back.location()).startsWith(base + "/demo/callback?authorization_code=");
            Browser.Page callback = browser.get(back.location());
            assertThat(callback.status()).as(callback.body()).isEqualTo(200);
            assertThat(callback.document().getElementById("user-info").text()).contains("\"firstname\" : \"Demo\"");

            serve.process().destroy(); // SIGTERM
            assertThat(serve.process().waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s").isTrue();
            assertThat(serve.process().exitValue()).as("stopped by its own handler, before the JVM's shutdown").isZero();
            assertThat(serve.stderr()).doesNotContain("Exception");
        } finally {
            serve.process().destroyForcibly();
            if (db != null) db.drop().run();
        }
    }

    private static void waitUntilReady(ChildJvm.Started serve, Http http) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!serve.process().isAlive()) throw new AssertionError("serve exited: " + serve.stderr());
            try {
                if (http.get("/health/ready", null).status() == 200 && serve.stdout().contains("Demo user")) return;
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve was not ready in 60 s: " + serve.stderr());
    }
}
