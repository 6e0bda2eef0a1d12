package kz.freedomid.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A browser without JavaScript for a flow that crosses two servers on loopback (Keycloak and Freedom ID): keeps
 * cookies per host and port, submits forms, follows no redirect by itself.
 *
 * <p>Unlike {@link java.net.CookieManager} it sends {@code Secure} cookies over plain http to loopback hosts, as
 * browsers do (loopback is a secure context), and sends cookie values exactly as they were set. Keycloak in
 * development mode marks its session cookies {@code Secure; SameSite=None} even on http.
 */
final class LoopbackBrowser {
    record Page(URI uri, int status, HttpHeaders headers, String body, Document document) {
        /** The Location header resolved against the page's own address, or null. */
        URI location() {
            return headers.firstValue("Location").map(uri::resolve).orElse(null);
        }

        boolean isRedirect() {
            return status / 100 == 3 && location() != null;
        }

        Element form(String action) {
            for (Element form : document.select("form[action]")) {
                if (form.attr("action").equals(action) || uri.resolve(form.attr("action")).equals(uri.resolve(action))) return form;
            }
            throw new AssertionError("no form with action " + action + " in " + uri + " (" + status + "):\n" + text());
        }

        String text() {
            return document.text();
        }

        @Override
        public String toString() {
            return status + " " + uri + (isRedirect() ? " -> " + location() : "");
        }
    }

    private record Cookie(String name, String value, String path) {}

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** host:port → name → cookie (host-only cookies; nothing here sets Domain). */
    private final Map<String, Map<String, Cookie>> jar = new LinkedHashMap<>();
    /** Every response, in order, for failure messages. */
    final List<String> history = new ArrayList<>();

    Page get(URI uri) {
        return send(uri, HttpRequest.newBuilder(uri).GET());
    }

    Page get(String uri) {
        return get(URI.create(uri));
    }

    /** Submits the form with this action (as written in the page, or resolved), its fields overridden by {@code fields}. */
    Page submit(Page page, String action, Map<String, String> fields) {
        Element form = page.form(action);
        Map<String, String> values = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            String type = input.attr("type").toLowerCase(Locale.ROOT);
            if ((type.equals("checkbox") || type.equals("radio")) && !input.hasAttr("checked")) continue;
            if (type.equals("submit")) continue; // a submit button's value goes only with the button pressed
            values.put(input.attr("name"), input.attr("value"));
        }
        values.putAll(fields);
        StringBuilder body = new StringBuilder();
        values.forEach((k, v) -> {
            if (v == null) return;
            if (!body.isEmpty()) body.append('&');
            body.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        URI target = page.uri().resolve(form.attr("action"));
        return send(target, HttpRequest.newBuilder(target).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** Follows redirects (at most {@code maxHops}) while {@code stillFollow} accepts the next address. */
    Page followWhile(Page page, int maxHops, java.util.function.Predicate<URI> stillFollow) {
        for (int hop = 0; hop < maxHops && page.isRedirect() && stillFollow.test(page.location()); hop++) {
            page = get(page.location());
        }
        return page;
    }

    private Page send(URI uri, HttpRequest.Builder request) {
        if (!isLoopback(uri)) throw new AssertionError("this test talks only to loopback addresses, not " + uri);
        String cookieHeader = cookieHeader(uri);
        if (!cookieHeader.isEmpty()) request.header("Cookie", cookieHeader);
        request.timeout(Duration.ofSeconds(60)).header("Accept-Language", "en").header("Accept", "text/html,*/*");
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) store(uri, setCookie);
            Page page = new Page(uri, response.statusCode(), response.headers(), response.body(), Jsoup.parse(response.body(), uri.toString()));
            history.add(page.toString());
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("request to " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    private static String origin(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private String cookieHeader(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder header = new StringBuilder();
        for (Cookie cookie : jar.getOrDefault(origin(uri), Map.of()).values()) {
            boolean pathMatches = path.equals(cookie.path()) || path.startsWith(cookie.path().endsWith("/") ? cookie.path() : cookie.path() + "/");
            if (!pathMatches) continue;
            if (!header.isEmpty()) header.append("; ");
            header.append(cookie.name()).append('=').append(cookie.value());
        }
        return header.toString();
    }

    private void store(URI uri, String setCookie) {
        String[] parts = setCookie.split(";");
        int eq = parts[0].indexOf('=');
        if (eq <= 0) return;
        String name = parts[0].substring(0, eq).strip();
        String value = parts[0].substring(eq + 1).strip();
        String requestPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String path = requestPath.contains("/") ? requestPath.substring(0, Math.max(1, requestPath.lastIndexOf('/'))) : "/";
        boolean expired = false;
        boolean sawMaxAge = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip();
            int at = attribute.indexOf('=');
            String key = (at < 0 ? attribute : attribute.substring(0, at)).strip().toLowerCase(Locale.ROOT);
            String val = at < 0 ? "" : attribute.substring(at + 1).strip();
            switch (key) {
                case "path" -> path = val.isEmpty() ? "/" : val;
                case "max-age" -> {
                    sawMaxAge = true;
                    try {
                        expired = Long.parseLong(val) <= 0;
                    } catch (NumberFormatException ignored) {
                        // a malformed Max-Age is ignored, as browsers do
                    }
                }
                case "expires" -> {
                    if (!sawMaxAge) expired = isPast(val);
                }
                default -> { } // Secure, HttpOnly, SameSite, Version, Domain (host-only here)
            }
        }
        Map<String, Cookie> cookies = jar.computeIfAbsent(origin(uri), k -> new LinkedHashMap<>());
        if (expired) cookies.remove(name);
        else cookies.put(name, new Cookie(name, value, path));
    }

    private static boolean isPast(String expires) {
        try {
            // "Thu, 01-Jan-1970 00:00:10 GMT" (Netscape) as well as "Thu, 01 Jan 1970 00:00:10 GMT" (RFC 1123)
            return ZonedDateTime.parse(expires.replace('-', ' '), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                    .isBefore(java.time.Instant.now());
        } catch (RuntimeException unparsable) {
            return false;
        }
    }
}
