package kz.freedomid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Drives the hosted pages the way a browser without JavaScript does: keeps cookies, fetches pages, submits their forms
 * with the hidden fields they carry, and does not follow redirects by itself.
 */
public final class Browser {
    public record Page(int status, HttpHeaders headers, String body, Document document) {
        public String location() {
            return headers.firstValue("Location").orElse(null);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public Element form(String action) {
            Element form = document.selectFirst("form[action=" + action + "]");
            if (form == null) throw new AssertionError("no form with action " + action + " in page (" + status + "):\n" + body);
            return form;
        }

        public String text() {
            return document.text();
        }
    }

    private final String baseUrl;
    private final CookieManager cookies;
    private final HttpClient client;
    private String acceptLanguage = "en";
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Browser(String baseUrl) {
        this.baseUrl = baseUrl;
        this.cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private Browser(String baseUrl, Browser same) {
        this.baseUrl = baseUrl;
        this.cookies = same.cookies;
        this.client = same.client;
        this.acceptLanguage = same.acceptLanguage;
        this.headers.putAll(same.headers);
    }

    /**
     * The same browser (cookies included) talking to another node on the same host, as a load balancer would send it:
     * cookies are scoped by host, not port.
     */
    public Browser at(String otherBaseUrl) {
        return new Browser(otherBaseUrl, this);
    }

    public Browser acceptLanguage(String value) {
        this.acceptLanguage = value;
        return this;
    }

    /** Sends {@code name: value} with every later request (X-Forwarded-For, say). */
    public Browser header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Page get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
    }

    /** Submits the form whose action is {@code action}, with its own fields overridden by {@code fields}. */
    public Page submit(Page page, String action, Map<String, String> fields) {
        Element form = page.form(action);
        Map<String, String> values = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            values.put(input.attr("name"), input.attr("value"));
        }
        values.putAll(fields);
        return post(action, values);
    }

    public Page post(String path, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v == null) return;
            if (!body.isEmpty()) body.append('&');
            body.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** Follows a redirect to a page of the server itself. */
    public Page follow(Page redirect) {
        if (redirect.status() / 100 != 3) throw new AssertionError("not a redirect (" + redirect.status() + "):\n" + redirect.body());
        return get(redirect.location());
    }

    public HttpCookie cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
    }

    /** Puts a cookie into the jar as if the server had set it (for replaying an old session handle). */
    public void setCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create(baseUrl), cookie);
    }

    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
    }

    private Page send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30)).header("Accept-Language", acceptLanguage);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers(), response.body(), Jsoup.parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
