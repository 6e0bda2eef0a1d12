package kz.freedomid.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.freedomid.platform.Json;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two SMS senders of contract 5: {@code log} with the development outbox, and {@code http} posting to a gateway.
 * Two servers: one in development mode, one in production mode with a fake gateway.
 */
class DevAndSmsTest {
    record GatewayRequest(String method, String contentType, String body) {}

    static TestServer dev;
    static TestServer prod;
    static HttpServer gateway;
    static final List<GatewayRequest> received = new CopyOnWriteArrayList<>();
    static final AtomicInteger gatewayStatus = new AtomicInteger(200);

    @BeforeAll
    static void start() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/sms", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new GatewayRequest(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(gatewayStatus.get(), -1);
            exchange.close();
        });
        gateway.start();
        String url = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms";
        dev = TestServer.start();
        prod = TestServer.start(false, Map.of("FREEDOM_ID_SMS_SENDER", "http", "FREEDOM_ID_SMS_URL", url));
    }

    @AfterAll
    static void stop() {
        dev.close();
        prod.close();
        gateway.stop(0);
    }

    private static Browser.Page phonePage(TestServer server, Browser browser) {
        Flows.TestPartner partner = Flows.partner(server);
        Browser.Page page = browser.get(Flows.loginLink(server, partner, List.of("read.firstname"), null));
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    @Test
    void outboxListsTheContractFieldsNewestFirstForThatPhoneOnly() {
        Browser browser = dev.browser();
        String phone = Flows.newPhone();
        Browser.Page code = browser.submit(phonePage(dev, browser), "/login/phone", Map.of("phone", phone, "method", "otp"));
        dev.clock.advance(Duration.ofSeconds(61));
        browser.submit(code, "/login/phone", Map.of("method", "otp"));
        String otherPhone = Flows.newPhone();
        browser.submit(phonePage(dev, browser), "/login/phone", Map.of("phone", otherPhone, "method", "otp"));

        Http.Response response = dev.http().get("/dev/outbox?to=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode entries = response.json();
        assertThat(entries.isArray()).isTrue();
        assertThat(entries).hasSize(2);
        for (JsonNode entry : entries) {
            assertThat(entry.properties()).extracting(Map.Entry::getKey).containsExactly("to", "text", "code", "sent_at");
            assertThat(entry.get("to").asText()).isEqualTo(phone);
            assertThat(entry.get("code").asText()).matches("\\d{6}");
            assertThat(entry.get("text").asText()).contains(entry.get("code").asText()).startsWith("Freedom ID code: ");
            assertThat(entry.get("sent_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        }
        assertThat(entries.get(0).get("sent_at").asText()).isGreaterThan(entries.get(1).get("sent_at").asText());
        assertThat(entries.get(0).get("code").asText()).isEqualTo(dev.outbox(phone).get(0).code());

        assertThat(dev.http().get("/dev/outbox?to=%2B70000000000", null).json()).isEmpty();
    }

    @Test
    void outboxAcceptsThePhoneWithAnUnencodedPlusAsTheLogLineShowsIt() {
        Browser browser = dev.browser();
        String phone = Flows.newPhone();
        browser.submit(phonePage(dev, browser), "/login/phone", Map.of("phone", phone, "method", "otp"));
        JsonNode entries = dev.http().get("/dev/outbox?to=" + phone, null).json();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("to").asText()).isEqualTo(phone);
    }

    @Test
    void withDevelopmentModeOffTheOutboxAndDemoAnswer404AndPagesHaveNoDevFooter() {
        assertThat(prod.http().get("/dev/outbox?to=%2B77000000001", null).status()).isEqualTo(404);
        assertThat(prod.http().get("/dev/outbox", null).status()).isEqualTo(404);
        assertThat(prod.browser().get("/demo").status()).isEqualTo(404);
        assertThat(prod.browser().post("/demo/start", Map.of()).status()).isEqualTo(404);
        assertThat(prod.browser().get("/demo/callback?authorization_code=x").status()).isEqualTo(404);
        Browser.Page page = phonePage(prod, prod.browser());
        assertThat(page.body()).doesNotContain("/dev/outbox");
        assertThat(page.document().select("footer.dev")).isEmpty();
        assertThat(dev.browser().get("/demo").status()).isEqualTo(200);
    }

    @Test
    void httpSenderPostsToAndTextJsonToTheGatewayAndTheCodeInItSignsIn() {
        received.clear();
        gatewayStatus.set(200);
        Browser browser = prod.browser();
        String phone = Flows.newPhone();
        Browser.Page code = browser.submit(phonePage(prod, browser), "/login/phone", Map.of("phone", phone, "method", "otp"));
        assertThat(code.status()).isEqualTo(200);
        assertThat(received).hasSize(1);
        GatewayRequest request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).startsWith("application/json");
        JsonNode json = readJson(request.body());
        assertThat(json.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("to", "text");
        assertThat(json.get("to").asText()).isEqualTo(phone);
        Matcher digits = Pattern.compile("\\b(\\d{6})\\b").matcher(json.get("text").asText());
        assertThat(digits.find()).as(json.toString()).isTrue();

        Browser.Page signup = browser.submit(code, "/login/code", Map.of("code", digits.group(1)));
        assertThat(signup.status()).as(signup.body()).isEqualTo(200);
        Browser.Page consent = browser.follow(browser.submit(signup, "/login/signup", Map.of("firstname", "A", "lastname", "B")));
        assertThat(consent.form("/login/consent")).isNotNull();
    }

    @Test
    void gatewayFailureShowsACouldNotSendPageAndARetryWorksAtOnce() {
        received.clear();
        gatewayStatus.set(500);
        Browser browser = prod.browser();
        String phone = Flows.newPhone();
        Browser.Page phonePage = phonePage(prod, browser);
        Browser.Page failed = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
        assertThat(received).hasSize(1);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("Content-Type")).startsWith("text/html");
        assertThat(failed.document().select(".error").text()).isEqualTo("We could not send the SMS. Try again or sign in with a password.");
        assertThat(failed.body()).doesNotContain("Exception").doesNotContain("at kz.").doesNotContain("gateway");
        assertThat(failed.form("/login/phone").selectFirst("input[name=phone]").val()).isEqualTo(phone);

        gatewayStatus.set(200);
        Browser.Page code = browser.submit(failed, "/login/phone", Map.of("method", "otp"));
        assertThat(code.status()).isEqualTo(200);
        assertThat(code.form("/login/code")).isNotNull();
        assertThat(received).hasSize(2);
        Matcher digits = Pattern.compile("(\\d{6})").matcher(readJson(received.get(1).body()).get("text").asText());
        assertThat(digits.find()).isTrue();
        assertThat(browser.submit(code, "/login/code", Map.of("code", digits.group(1))).form("/login/signup")).isNotNull();
    }

    private static JsonNode readJson(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
