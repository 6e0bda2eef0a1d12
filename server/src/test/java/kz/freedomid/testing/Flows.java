package kz.freedomid.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.user.NewUser;
import kz.freedomid.user.User;

/** Fixture builders and the common steps of the partner flow. */
public final class Flows {
    private static final AtomicLong PHONES = new AtomicLong(77010000000L + (System.nanoTime() % 1_000_000));

    public record TestPartner(String clientId, String secret, String redirectUri) {
        public String basic() {
            return Http.basic(clientId, secret);
        }
    }

    public record Tokens(String id, String accessToken, String refreshToken) {}

    private Flows() {}

    public static String newPhone() {
        return "+" + PHONES.incrementAndGet();
    }

    public static TestPartner partner(TestServer server, Grant... grants) {
        Set<Grant> set = grants.length == 0 ? Grant.all() : Set.copyOf(Arrays.asList(grants));
        String redirectUri = "https://partner.example/callback?shop=1";
        var registered = server.app.partners.register(new PartnerService.NewPartner("Test Shop", List.of(redirectUri), set, null));
        return new TestPartner(registered.partner().clientId().toString(), registered.clientSecret(), redirectUri);
    }

    public static User user(TestServer server, String password) {
        return server.app.users.create(new NewUser(newPhone(), null, "Aigerim", "Nurlanova", password, true, null));
    }

    /** POST /api/v1/oauth/authorize; returns the login link's path and query on our server. */
    public static String loginLink(TestServer server, TestPartner partner, List<String> grants, String state) {
        Map<String, Object> body = new HashMap<>(Map.of("redirect_uri", partner.redirectUri(), "grants", grants));
        if (state != null) body.put("state", state);
        Http.Response response = server.http().json("POST", "/api/v1/oauth/authorize", partner.basic(), body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        URI link = URI.create(response.json().get("redirect_uri").asText());
        return link.getRawPath() + "?" + link.getRawQuery();
    }

    /** Signs in with an SMS code through the pages; returns the page that follows the code (consent or redirect). */
    public static Browser.Page signInWithCode(TestServer server, Browser browser, String link, String phone) {
        Browser.Page phonePage = browser.get(link);
        assertThat(phonePage.status()).as(phonePage.body()).isEqualTo(200);
        Browser.Page codePage = browser.submit(phonePage, "/login/phone", Map.of("phone", phone, "method", "otp"));
        assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
        String code = server.outbox(phone).get(0).code();
        return browser.submit(codePage, "/login/code", Map.of("code", code));
    }

    /** Full flow for a new or existing phone up to the partner redirect, approving consent when asked. */
    public static String approvedRedirect(TestServer server, Browser browser, String link, String phone) {
        Browser.Page page = signInWithCode(server, browser, link, phone);
        if (page.status() == 200 && page.document().selectFirst("form[action=/login/signup]") != null) {
            page = browser.submit(page, "/login/signup", Map.of("firstname", "Dana", "lastname", "Serikova"));
        }
        if (page.status() == 303 && page.location().startsWith("/login/consent")) {
            Browser.Page consent = browser.follow(page);
            page = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
        }
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        return page.location();
    }

    public static String codeFrom(TestServer server, TestPartner partner, List<String> grants) {
        String location = approvedRedirect(server, server.browser(), loginLink(server, partner, grants, null), newPhone());
        return query(location).get("authorization_code");
    }

    public static Tokens exchange(TestServer server, TestPartner partner, String code) {
        Http.Response response = server.http().json("POST", "/api/v1/oauth/token", partner.basic(),
                Map.of("authorization_code", code));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var json = response.json();
        return new Tokens(json.get("id").asText(), json.get("access_token").asText(), json.get("refresh_token").asText());
    }

    public static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query == null) return out;
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
