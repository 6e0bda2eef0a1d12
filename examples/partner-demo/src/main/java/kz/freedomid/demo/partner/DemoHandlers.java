package kz.freedomid.demo.partner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kz.freedomid.client.CallbackVerifier;
import kz.freedomid.client.FreedomIdClient;
import kz.freedomid.client.FreedomIdException;
import kz.freedomid.client.FreedomUser;
import kz.freedomid.client.InvalidCallbackException;
import kz.freedomid.client.ProfileDecryptor;
import kz.freedomid.client.ProfileStatus;

/** The demo's pages: home, sign-in, callback, profile, sign-out, and the revoke receiver. */
final class DemoHandlers {
    static final String COOKIE = "demo_session";
    static final List<String> GRANTS = List.of("read.firstname", "read.lastname", "read.phone", "read.email", "read.profile");

    private final FreedomIdClient client;
    private final CallbackVerifier verifier;
    private final ProfileDecryptor decryptor;
    private final DemoSessions sessions;
    private final String baseUrl;

    DemoHandlers(FreedomIdClient client, CallbackVerifier verifier, ProfileDecryptor decryptor, DemoSessions sessions, String baseUrl) {
        this.client = client;
        this.verifier = verifier;
        this.decryptor = decryptor;
        this.sessions = sessions;
        this.baseUrl = baseUrl;
    }

    void register(HttpServer server) {
        server.createContext("/", this::home);
        server.createContext("/login", this::login);
        server.createContext("/callback", this::callback);
        server.createContext("/profile", this::profile);
        server.createContext("/logout", this::logout);
        server.createContext("/revoke", this::revoke);
        server.createContext("/static/", this::asset);
    }

    private void home(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/")) {
            send(ex, 404, "text/plain", "not found");
            return;
        }
        DemoSessions.Session session = sessions.find(cookie(ex));
        StringBuilder body = new StringBuilder("<h1>Demo shop</h1>");
        if (session == null || !session.signedIn()) {
            body.append("<p>You are not signed in.</p>")
                    .append("<a class=\"fid-button\" href=\"/login\"><span class=\"fid-mark\" aria-hidden=\"true\">F</span>Sign in with Freedom ID</a>");
        } else {
            FreedomUser user = session.user;
            body.append("<p id=\"signed-in\">Signed in as <b>").append(esc(user.firstname())).append(' ').append(esc(user.lastname()))
                    .append("</b></p><table>")
                    .append(row("freedom_id", user.id())).append(row("phone", user.phone())).append(row("email", user.email()))
                    .append("</table><form method=\"post\" action=\"/profile\"><button>Request my profile</button></form> ")
                    .append("<form method=\"post\" action=\"/logout\"><button>Sign out</button></form>");
            if (session.profileJson != null) body.append("<h2>Profile (decrypted)</h2><pre id=\"profile\">").append(esc(session.profileJson)).append("</pre>");
        }
        page(ex, 200, body.toString());
    }

    private void login(HttpExchange ex) throws IOException {
        DemoSessions.Session session = new DemoSessions.Session();
        session.pendingState = DemoSessions.randomToken();
        String id = sessions.create(session);
        var link = client.authorizationLink(baseUrl + "/callback", GRANTS, session.pendingState);
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
        redirect(ex, link.url().toString());
    }

    private void callback(HttpExchange ex) throws IOException {
        Map<String, String> query = parse(ex.getRequestURI().getRawQuery());
        DemoSessions.Session session = sessions.find(cookie(ex));
        if (session == null || session.pendingState == null || !session.pendingState.equals(query.get("state"))) {
            page(ex, 400, "<h1>Sign-in failed</h1><p>The sign-in does not belong to this browser.</p>");
            return;
        }
        session.pendingState = null;
        String code = query.get("authorization_code");
        if (code == null) {
            page(ex, 200, "<h1>Not signed in</h1><p>Freedom ID answered error " + esc(query.get("error_code")) + ".</p><a href=\"/\">Back</a>");
            return;
        }
        try {
            session.tokens = client.exchangeCode(code);
            session.user = client.userInfo(session.tokens.accessToken());
        } catch (FreedomIdException e) {
            page(ex, 502, "<h1>Sign-in failed</h1><p>" + esc(e.getMessage()) + " (" + e.code() + ")</p>");
            return;
        }
        redirect(ex, "/");
    }

    private void profile(HttpExchange ex) throws IOException {
        DemoSessions.Session session = sessions.find(cookie(ex));
        if (!"POST".equals(ex.getRequestMethod()) || session == null || !session.signedIn() || decryptor == null) {
            redirect(ex, "/");
            return;
        }
        UUID requestId = UUID.randomUUID();
        String token = session.tokens.accessToken();
        client.requestProfile(token, requestId);
        ProfileStatus status = client.awaitProfile(token, requestId, Duration.ofSeconds(20), Duration.ofMillis(200));
        session.profileJson = status.isCompleted()
                ? decryptor.decrypt(status.encryptedProfile()).json().toPrettyString()
                : "Profile " + status.status() + ": " + status.statusMessage();
        redirect(ex, "/");
    }

    private void logout(HttpExchange ex) throws IOException {
        sessions.remove(cookie(ex));
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0");
        redirect(ex, "/");
    }

    /** Freedom ID's revoke callback (contract 3.10): verify, then sign that token pair's browser out. */
    private void revoke(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        try {
            String pairId = verifier.verify(ex.getRequestHeaders().getFirst(CallbackVerifier.SIGNATURE_HEADER), body);
            sessions.endByTokenPair(pairId);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        } catch (InvalidCallbackException e) {
            send(ex, 401, "text/plain", "invalid signature");
        }
    }

    private void asset(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring("/static/".length());
        if (!name.matches("[a-z-]+\\.css")) {
            send(ex, 404, "text/plain", "not found");
            return;
        }
        try (InputStream in = DemoHandlers.class.getResourceAsStream("/static/" + name)) {
            if (in == null) {
                send(ex, 404, "text/plain", "not found");
                return;
            }
            send(ex, 200, "text/css; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void page(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/html; charset=utf-8", "<!doctype html><html><head><meta charset=\"utf-8\"><title>Demo shop</title>"
                + "<link rel=\"stylesheet\" href=\"/static/demo.css\"><link rel=\"stylesheet\" href=\"/static/freedom-id-button.css\">"
                + "</head><body>" + body + "</body></html>");
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
        ex.close();
    }

    private static String cookie(HttpExchange ex) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) return null;
        for (String header : headers) {
            for (String part : header.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(COOKIE)) return kv[1];
            }
        }
        return null;
    }

    private static Map<String, String> parse(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null) return out;
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static String row(String name, String value) {
        return "<tr><th>" + esc(name) + "</th><td>" + esc(value) + "</td></tr>";
    }

    private static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
