package kz.freedomid.oauth;

import static kz.freedomid.oauth.ApiTestSupport.assertError;
import static kz.freedomid.oauth.ApiTestSupport.assertValidation;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract 3.1 and section 2: {@code POST /api/v1/oauth/authorize}. */
class AuthorizeApiTest {
    private static final String PATH = "/api/v1/oauth/authorize";
    /** The URI {@link Flows#partner} registers. */
    private static final String REDIRECT = "https://partner.example/callback?shop=1";

    static TestServer server;
    static Flows.TestPartner partner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        partner = Flows.partner(server, Grant.READ_FIRSTNAME, Grant.READ_LASTNAME, Grant.READ_PHONE, Grant.OPENID);
        assertThat(partner.redirectUri()).isEqualTo(REDIRECT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void authorizeWhenValidThenReturnsSingleLoginLinkExpiringIn15Minutes() {
        long before = tracks();
        Http.Response response = server.http().json("POST", PATH, partner.basic(),
                Map.of("redirect_uri", REDIRECT, "grants", List.of("read.firstname", "read.phone"), "state", "s-1"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().size()).isEqualTo(1);
        Matcher link = Pattern.compile(Pattern.quote(server.baseUrl) + "/login\\?track_id=([0-9a-f-]{36})&expire_at=(\\d+)")
                .matcher(response.json().get("redirect_uri").asText());
        assertThat(link.matches()).as(response.body()).isTrue();
        UUID trackId = UUID.fromString(link.group(1));
        assertThat(Long.parseLong(link.group(2)))
                .isEqualTo(server.clock.instant().plus(Duration.ofMinutes(15)).getEpochSecond());
        assertThat(tracks()).isEqualTo(before + 1);
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks WHERE id = ? AND state = ? AND finished_at IS NULL",
                trackId, "s-1")).isEqualTo(1);
        assertThat(server.browser().get("/login?track_id=" + trackId).status()).isEqualTo(200);
    }

    @Test
    void authorizeWhenStateGivenThenItIsEchoedOnTheRedirectWithTheCode() {
        String prefix = "sess/1 &x=y é?";
        String state = prefix + "a".repeat(512 - prefix.length());

        String link = Flows.loginLink(server, partner, List.of("read.firstname"), state);
        String location = Flows.approvedRedirect(server, server.browser(), link, Flows.newPhone());

        assertThat(location).startsWith(REDIRECT + "&");
        Map<String, String> query = Flows.query(location);
        assertThat(query).containsEntry("shop", "1").containsEntry("state", state).containsKey("authorization_code");
    }

    @Test
    void authorizeWhenNoStateThenRedirectCarriesNone() {
        String link = Flows.loginLink(server, partner, List.of("read.firstname"), null);
        String location = Flows.approvedRedirect(server, server.browser(), link, Flows.newPhone());

        assertThat(Flows.query(location)).containsOnlyKeys("shop", "authorization_code");
    }

    @Test
    void authorizeLinkWhenItProducedACodeThenItCannotBeUsedAgain() {
        var browser = server.browser();
        String link = Flows.loginLink(server, partner, List.of("read.firstname"), null);
        Flows.approvedRedirect(server, browser, link, Flows.newPhone());
        long codes = server.count("SELECT COUNT(*) FROM auth_codes");

        assertThat(browser.get(link).status()).isEqualTo(410); // same signed-in browser
        assertThat(server.browser().get(link).status()).isEqualTo(410);
        assertThat(server.count("SELECT COUNT(*) FROM auth_codes")).isEqualTo(codes);
    }

    @Test
    void authorizeWhenStateIs512NonAsciiCharactersThenAccepted() {
        String state = "ж".repeat(512);
        Http.Response response = server.http().json("POST", PATH, partner.basic(),
                Map.of("redirect_uri", REDIRECT, "grants", List.of("read.firstname"), "state", state));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String trackId = Flows.query(response.json().get("redirect_uri").asText()).get("track_id");
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks WHERE id = ? AND state = ?", UUID.fromString(trackId), state))
                .isEqualTo(1);
    }

    @Test
    void authorizeWhenGrantsRepeatThenDuplicatesAreIgnored() {
        Http.Response response = server.http().json("POST", PATH, partner.basic(),
                Map.of("redirect_uri", REDIRECT, "grants", List.of("read.phone", "read.firstname", "read.phone")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String trackId = Flows.query(response.json().get("redirect_uri").asText()).get("track_id");
        assertThat(server.count("SELECT COUNT(*) FROM login_tracks WHERE id = ? AND grants = ?",
                UUID.fromString(trackId), "read.firstname read.phone")).isEqualTo(1);
    }

    @Test
    void authorizeWhenContentTypeHasCharsetThenAccepted() {
        Http.Response response = server.http().send("POST", PATH, partner.basic(), "application/json; charset=utf-8",
                validBody().getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing", "empty Basic", "not base64", "no colon", "Bearer scheme", "client id not a UUID",
            "wrong secret", "unknown client", "empty secret", "disabled partner"})
    void authorizeWhenClientCredentialsBadThen401WithBasicChallenge(String kind) {
        long before = tracks();
        Http.Response response = server.http().send("POST", PATH, credentials(kind), "application/json",
                validBody().getBytes(StandardCharsets.UTF_8));

        assertError(response, 401, 100001);
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(tracks()).isEqualTo(before);
    }

    static Stream<Arguments> invalidBodies() {
        String grants = "\"grants\":[\"read.firstname\"]";
        return Stream.of(
                Arguments.of("missing redirect_uri", "{" + grants + "}", List.of("redirect_uri")),
                Arguments.of("empty redirect_uri", "{\"redirect_uri\":\"\"," + grants + "}", List.of("redirect_uri")),
                Arguments.of("null redirect_uri", "{\"redirect_uri\":null," + grants + "}", List.of("redirect_uri")),
                Arguments.of("unregistered redirect_uri", body("https://evil.example/callback?shop=1", grants), List.of("redirect_uri")),
                Arguments.of("trailing slash", body("https://partner.example/callback/?shop=1", grants), List.of("redirect_uri")),
                Arguments.of("host case differs", body("https://PARTNER.example/callback?shop=1", grants), List.of("redirect_uri")),
                Arguments.of("scheme case differs", body("HTTPS://partner.example/callback?shop=1", grants), List.of("redirect_uri")),
                Arguments.of("path case differs", body("https://partner.example/Callback?shop=1", grants), List.of("redirect_uri")),
                Arguments.of("query dropped", body("https://partner.example/callback", grants), List.of("redirect_uri")),
                Arguments.of("query extended", body(REDIRECT + "&x=2", grants), List.of("redirect_uri")),
                Arguments.of("surrounding spaces", body(" " + REDIRECT + " ", grants), List.of("redirect_uri")),
                Arguments.of("redirect_uri a number", "{\"redirect_uri\":123," + grants + "}", List.of("redirect_uri")),
                Arguments.of("redirect_uri an array", "{\"redirect_uri\":[\"" + REDIRECT + "\"]," + grants + "}", List.of("redirect_uri")),
                Arguments.of("missing grants", "{\"redirect_uri\":\"" + REDIRECT + "\"}", List.of("grants")),
                Arguments.of("null grants", body(REDIRECT, "\"grants\":null"), List.of("grants")),
                Arguments.of("empty grants", body(REDIRECT, "\"grants\":[]"), List.of("grants")),
                Arguments.of("grants a string", body(REDIRECT, "\"grants\":\"read.firstname\""), List.of("grants")),
                Arguments.of("grants an object", body(REDIRECT, "\"grants\":{\"0\":\"read.firstname\"}"), List.of("grants")),
                Arguments.of("unknown grant at 2", body(REDIRECT, "\"grants\":[\"read.firstname\",\"read.phone\",\"read.all\"]"), List.of("grants.2")),
                Arguments.of("grant names are case-sensitive", body(REDIRECT, "\"grants\":[\"READ.FIRSTNAME\"]"), List.of("grants.0")),
                Arguments.of("grant not a string", body(REDIRECT, "\"grants\":[\"read.firstname\",7,null]"), List.of("grants.1", "grants.2")),
                Arguments.of("grant not allowed for partner", body(REDIRECT, "\"grants\":[\"read.firstname\",\"read.cards\"]"), List.of("grants.1")),
                Arguments.of("state of 513 characters", body(REDIRECT, grants + ",\"state\":\"" + "s".repeat(513) + "\""), List.of("state")),
                Arguments.of("state a number", body(REDIRECT, grants + ",\"state\":5"), List.of("state")),
                Arguments.of("state an object", body(REDIRECT, grants + ",\"state\":{}"), List.of("state")),
                Arguments.of("empty object", "{}", List.of("redirect_uri", "grants")),
                Arguments.of("everything wrong", "{\"redirect_uri\":1,\"grants\":\"x\",\"state\":[]}", List.of("redirect_uri", "grants", "state")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void authorizeWhenBodyInvalidThen422WithFieldErrors(String name, String body, List<String> fields) {
        long before = tracks();
        Http.Response response = server.http().json("POST", PATH, partner.basic(), body);

        assertValidation(response, fields.toArray(String[]::new));
        assertThat(tracks()).isEqualTo(before);
    }

    @Test
    void authorizeWhenBodyEmptyThenMissingFieldsAreReported() {
        Http.Response response = server.http().send("POST", PATH, partner.basic(), "application/json", new byte[0]);
        assertValidation(response, "redirect_uri", "grants");
    }

    @Test
    void authorizeWhenValidationFailsThenMessagesFollowTheContract() {
        var errors = assertValidation(server.http().json("POST", PATH, partner.basic(),
                "{\"grants\":[\"read.firstname\",\"read.firstname\",\"read.x\",\"read.phone\"]}"), "redirect_uri", "grants.2");
        assertThat(errors.get("grants.2").get(0).asText()).isEqualTo("The selected grants.2 is invalid.");
        errors = assertValidation(server.http().json("POST", PATH, partner.basic(), "{\"redirect_uri\":\"" + REDIRECT + "\"}"),
                "grants");
        assertThat(errors.get("grants").get(0).asText()).isEqualTo("The grants field is required.");
    }

    static Stream<Arguments> malformedBodies() {
        byte[] badUtf8 = concat("{\"redirect_uri\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28},
                ("\",\"grants\":[\"read.firstname\"]}").getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("truncated JSON", "{\"redirect_uri\":".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("not JSON at all", "redirect_uri=x".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a JSON array", "[]".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("an array of a valid body", ("[" + validBody() + "]").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a JSON string", "\"hello\"".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("JSON null", "null".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("trailing garbage", (validBody() + " x").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("invalid UTF-8", badUtf8),
                Arguments.of("over 64 KiB", bodyOfSize(64 * 1024 + 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void authorizeWhenBodyMalformedThen400(String name, byte[] body) {
        long before = tracks();
        Http.Response response = server.http().send("POST", PATH, partner.basic(), "application/json", body);

        assertError(response, 400, 100008);
        assertThat(response.json().path("error").has("errors")).isFalse();
        assertThat(tracks()).isEqualTo(before);
    }

    @Test
    void authorizeWhenChunkedBodyOver64KiBThen400() throws Exception {
        long before = tracks();
        byte[] body = bodyOfSize(200 * 1024);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> raw = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl + PATH))
                .header("Authorization", partner.basic()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertError(new Http.Response(raw.statusCode(), raw.headers(), raw.body()), 400, 100008);
        assertThat(tracks()).isEqualTo(before);
    }

    @Test
    void authorizeWhenBodyIsExactly64KiBThenItIsRead() {
        // 64 KiB is within the limit: the body is parsed, and its 65 000-character state is what gets refused.
        Http.Response response = server.http().send("POST", PATH, partner.basic(), "application/json", bodyOfSize(64 * 1024));
        assertValidation(response, "state");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "none"})
    void authorizeWhenContentTypeIsNotJsonThen415(String contentType) {
        long before = tracks();
        Http.Response response = server.http().send("POST", PATH, partner.basic(),
                contentType.equals("none") ? null : contentType, validBody().getBytes(StandardCharsets.UTF_8));

        assertError(response, 415, 100008);
        assertThat(tracks()).isEqualTo(before);
    }

    private static long tracks() {
        return server.count("SELECT COUNT(*) FROM login_tracks");
    }

    private static String validBody() {
        return body(REDIRECT, "\"grants\":[\"read.firstname\"]");
    }

    private static String body(String redirectUri, String rest) {
        return "{\"redirect_uri\":\"" + redirectUri + "\"," + rest + "}";
    }

    /** A valid body padded through {@code state} to exactly {@code size} bytes. */
    private static byte[] bodyOfSize(int size) {
        String head = "{\"redirect_uri\":\"" + REDIRECT + "\",\"grants\":[\"read.firstname\"],\"state\":\"";
        String tail = "\"}";
        return (head + "s".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    private static String credentials(String kind) {
        String b64 = "Basic " + Base64.getEncoder().encodeToString((partner.clientId() + partner.secret()).getBytes(StandardCharsets.UTF_8));
        return switch (kind) {
            case "missing" -> null;
            case "empty Basic" -> "Basic ";
            case "not base64" -> "Basic !!!not-base64!!!";
            case "no colon" -> b64;
            case "Bearer scheme" -> Http.bearer(partner.secret());
            case "client id not a UUID" -> Http.basic("shop", partner.secret());
            case "wrong secret" -> Http.basic(partner.clientId(), partner.secret() + "x");
            case "unknown client" -> Http.basic(UUID.randomUUID().toString(), partner.secret());
            case "empty secret" -> Http.basic(partner.clientId(), "");
            case "disabled partner" -> {
                Flows.TestPartner disabled = Flows.partner(server, Grant.READ_FIRSTNAME);
                server.execute("UPDATE partners SET status = 'disabled' WHERE client_id = ?", UUID.fromString(disabled.clientId()));
                yield disabled.basic();
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
