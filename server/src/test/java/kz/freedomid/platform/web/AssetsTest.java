package kz.freedomid.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AssetsTest {
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
    void styleSheetIsServedAsCssWithACacheLifetimeAndNoSniffing() {
        Http.Response response = server.http().get("/assets/app.css", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/css");
        assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.body()).contains("{").contains("}");
        assertThat(server.http().get("/assets/app.css", null).body()).isEqualTo(response.body());
    }

    @Test
    void unknownOrMalformedNamesAreNotFoundAndNothingOutsideTheFolderIsReachable() {
        for (String path : new String[] {"/assets/nope.css", "/assets/app.js", "/assets/../logback.xml",
                "/assets/%2e%2e/kz/freedomid/App.class", "/assets/", "/assets/sub/app.css", "/assets/APP.CSS"}) {
            Http.Response response = server.http().get(path, null);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("package ").doesNotContain("CAFEBABE");
        }
    }
}
