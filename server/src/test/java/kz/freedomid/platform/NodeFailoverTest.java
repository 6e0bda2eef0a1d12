package kz.freedomid.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.freedomid.partner.Grant;
import kz.freedomid.testing.Browser;
import kz.freedomid.testing.ChildJvm;
import kz.freedomid.testing.Flows;
import kz.freedomid.testing.Http;
import kz.freedomid.testing.Nginx;
import kz.freedomid.testing.TestServer;
import kz.freedomid.user.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two {@code serve} processes on one PostgreSQL behind a real nginx (round robin); one is killed with SIGKILL while a
 * load of refreshes, user-info calls and sign-in steps runs through nginx. The other serves every flow to completion:
 * sign-ins whose track was created and whose page was opened (or whose SMS code was sent) before the kill, possibly by
 * the dead node, and refresh chains whose last refresh the dead node served.
 * <p>
 * What may fail: only a POST or PATCH that was in flight at the dead node when it died, or that nginx sent over a
 * kept-alive connection to it in the moment before noticing that connection closed (nginx answers 502 and, as
 * docs/deployment.md says, does not replay a non-idempotent request that reached a node). A bounded number, none started
 * after a short grace period. A refresh lost that way may or may not have been committed by the dead
 * node: presenting its refresh token again either rotates it (200) or, if the rotation was committed, is refresh-token
 * reuse (401, 100105) by design. GETs, and requests that reached no node, nginx sends to the survivor.
 * PostgreSQL only: several nodes share only PostgreSQL.
 */
class NodeFailoverTest {
    private static final int CHAINS = 6;
    private static final int SIGN_IN_WORKERS = 2;
    private static final int PENDING = 4;
    /** Chains left idle during the load whose last refresh, before the kill, the victim served. */
    private static final int WITNESSES = 2;
    /**
     * A request nginx sends over a kept-alive connection to the dead node just before it has noticed that connection
     * closed also fails; beyond this grace period, none may.
     */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Pattern CODE = Pattern.compile("\\b(\\d{4,8})\\b");

    static TestServer setup;
    static Flows.TestPartner partner;
    static final List<User> users = new ArrayList<>();
    static final List<ChildJvm.Started> processes = new ArrayList<>();
    static final List<Integer> ports = new ArrayList<>();
    static Nginx nginx;
    static HttpServer smsGateway;
    static final Map<String, String> smsCodes = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Nginx.binary(); // fail loudly, before anything starts, when nginx is missing
        setup = TestServer.startReachableFromOtherProcesses();
        partner = Flows.partner(setup, Grant.READ_FIRSTNAME);
        for (int i = 0; i < CHAINS + PENDING * 2 + WITNESSES; i++) users.add(Flows.user(setup, null));
        setup.app.close(); // only the two processes below serve from here on

        smsGateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        smsGateway.createContext("/sms", exchange -> {
            JsonNode message = kz.freedomid.platform.Json.MAPPER.readTree(exchange.getRequestBody());
            Matcher code = CODE.matcher(message.path("text").asText());
            if (code.find()) smsCodes.put(message.path("to").asText(), code.group(1));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        smsGateway.start();

        int balancerPort = freePort();
        String issuer = "http://127.0.0.1:" + balancerPort;
        var config = setup.app.config;
        Map<String, String> env = new HashMap<>(Map.of("FREEDOM_ID_DB_URL", config.dbUrl(), "FREEDOM_ID_DB_USER",
                config.dbUser(), "FREEDOM_ID_DB_PASSWORD", config.dbPassword(), "FREEDOM_ID_MASTER_KEY", config.masterKey(),
                "FREEDOM_ID_ISSUER", issuer, "FREEDOM_ID_DEV", "false", "FREEDOM_ID_CLIENT_IP_HEADER", "X-Real-IP",
                "FREEDOM_ID_SMS_SENDER", "http",
                "FREEDOM_ID_SMS_URL", "http://127.0.0.1:" + smsGateway.getAddress().getPort() + "/sms"));
        env.putAll(Map.of("FREEDOM_ID_RATE_OTP_PER_IP_HOUR", "1000000", "FREEDOM_ID_RATE_SIGN_IN_PER_IP_10MIN", "1000000",
                "FREEDOM_ID_RATE_CLIENT_PER_SECOND", "1000000", "FREEDOM_ID_RATE_CLIENT_IP_PER_SECOND", "1000000"));
        for (int node = 0; node < 2; node++) {
            int port = freePort();
            env.put("FREEDOM_ID_PORT", String.valueOf(port));
            env.put("FREEDOM_ID_DATA_DIR", java.nio.file.Files.createTempDirectory("freedom-id-node").toString());
            processes.add(ChildJvm.start(env, "serve"));
            ports.add(port);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!ports.stream().allMatch(NodeFailoverTest::ready)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nodes not ready after 120 s:\n" + processes.get(0).stderr() + processes.get(1).stderr());
            }
            Thread.sleep(250);
        }
        nginx = Nginx.roundRobin(balancerPort, ports);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) nginx.close();
        for (ChildJvm.Started process : processes) {
            process.process().destroy();
            process.process().waitFor(20, TimeUnit.SECONDS);
        }
        if (smsGateway != null) smsGateway.stop(0);
        if (setup != null) setup.close();
    }

    /** One request of the load: when it started and ended, what answered (status 0: no answer at all). */
    record Call(String worker, String method, String path, long started, long ended, int status, String node, String error) {
        /** Every request of the load expects 200. */
        boolean failed() {
            return status != 200;
        }
    }

    /** A partner's token chain: the current pair and the node that served its last refresh. */
    static final class Chain {
        String access;
        String refresh;
        String lastRefreshNode;
        String lastRefreshNodeBeforeKill;
        /** A refresh of this chain was lost at the kill (a 502 for a PATCH that reached the dead node). */
        boolean lostAtKill;
    }

    /** A sign-in opened before the kill: the browser and the page it shows, and which node rendered that page. */
    record Pending(Browser browser, Browser.Page page, String action, User user, String node) {}

    @Test
    void whenOneNodeIsKilledUnderLoadThenTheOtherServesEveryFlowIncludingThoseStartedOnTheDeadOne() throws Exception {
        Http balancer = new Http(nginx.url);
        // Before the kill: token chains, and sign-ins left open at the phone page and at the code page.
        List<Chain> chains = new ArrayList<>();
        for (int i = 0; i < CHAINS; i++) chains.add(chain(signIn(users.get(i))));
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < PENDING; i++) {
            User user = users.get(CHAINS + i);
            Browser browser = new Browser(nginx.url);
            Browser.Page phonePage = browser.get(link());
            assertThat(phonePage.status()).as(phonePage.body()).isEqualTo(200);
            pending.add(new Pending(browser, phonePage, "/login/phone", user, node(phonePage.header("X-Upstream"))));
        }
        for (int i = 0; i < PENDING; i++) {
            User user = users.get(CHAINS + PENDING + i);
            Browser browser = new Browser(nginx.url);
            Browser.Page phonePage = browser.get(link());
            assertThat(phonePage.status()).as(phonePage.body()).isEqualTo(200);
            Browser.Page codePage = browser.submit(phonePage, "/login/phone", Map.of("phone", user.phone(), "method", "otp"));
            assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
            pending.add(new Pending(browser, codePage, "/login/code", user, node(codePage.header("X-Upstream"))));
        }
        String victim = "127.0.0.1:" + ports.get(0);
        String survivor = "127.0.0.1:" + ports.get(1);
        assertThat(pending.stream().map(Pending::node)).as("round robin: pages from both nodes").contains(victim, survivor);
        // Witness chains: refreshed (round robin) until the victim served their last refresh, then left alone until after
        // the kill, so that case is there whatever the load does.
        List<Flows.Tokens> witnesses = new ArrayList<>();
        for (int i = 0; i < WITNESSES; i++) {
            Flows.Tokens tokens = signIn(users.get(CHAINS + 2 * PENDING + i));
            String servedBy = "";
            for (int attempt = 0; attempt < 6 && !servedBy.equals(victim); attempt++) {
                Http.Response refreshed = balancer.send("PATCH", "/api/v1/oauth/token", Http.bearer(tokens.refreshToken()), null, null);
                assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
                servedBy = node(refreshed.header("X-Upstream"));
                tokens = new Flows.Tokens(refreshed.json().get("id").asText(), refreshed.json().get("access_token").asText(),
                        refreshed.json().get("refresh_token").asText());
            }
            assertThat(servedBy).as("a witness chain's last refresh served by the victim").isEqualTo(victim);
            witnesses.add(tokens);
        }

        // The load, through nginx; node 0 dies with SIGKILL in the middle of it.
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < CHAINS; i++) {
            Chain chain = chains.get(i);
            String name = "chain-" + i;
            workers.add(Thread.ofVirtual().start(() -> chainLoad(name, chain, calls, running)));
        }
        for (int i = 0; i < SIGN_IN_WORKERS; i++) {
            String name = "sign-in-" + i;
            workers.add(Thread.ofVirtual().start(() -> signInLoad(name, calls, running)));
        }
        Thread.sleep(3000);
        long killedAt = System.nanoTime();
        processes.get(0).process().destroyForcibly(); // SIGKILL: no graceful stop, requests in flight are cut off
        assertThat(processes.get(0).process().waitFor(10, TimeUnit.SECONDS)).as("node 0 died").isTrue();
        for (Chain chain : chains) {
            synchronized (chain) {
                chain.lastRefreshNodeBeforeKill = chain.lastRefreshNode;
            }
        }
        Thread.sleep(6000);
        running.set(false);
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(worker.isAlive()).as("load worker still running 60 s after the load ended").isFalse();
        }

        List<Call> all = new ArrayList<>(calls);
        String summary = summary(all, killedAt);
        System.out.println("NodeFailoverTest: " + all.size() + " requests, " + all.stream().filter(Call::failed).count()
                + " failed, " + chains.stream().filter(c -> c.lostAtKill).count() + " chains lost a refresh at the kill\n" + summary);
        assertThat(all.stream().filter(c -> c.started() < killedAt && c.node().equals(victim)).count())
                .as("the victim served part of the load before the kill\n" + summary).isGreaterThan(10);
        List<Call> failures = all.stream().filter(Call::failed).toList();
        for (Call failure : failures) {
            assertThat(failure.method()).as("only a non-idempotent request in flight at the kill may fail: %s\n%s", failure, summary)
                    .isIn("POST", "PATCH");
            assertThat(failure.started()).as("failed after the grace period: %s\n%s", failure, summary)
                    .isLessThan(killedAt + GRACE_NANOS);
        }
        // A chain worker stops at its first failure; a sign-in worker goes on, so it may lose one request in flight and
        // one sent over a stale kept-alive connection in the grace period.
        assertThat(failures.size()).as("failures bounded by the requests in flight at the kill\n" + summary)
                .isLessThanOrEqualTo(CHAINS + 2 * SIGN_IN_WORKERS);
        List<Call> afterGrace = all.stream().filter(c -> c.started() > killedAt + GRACE_NANOS).toList();
        assertThat(afterGrace.size()).as("load went on after the kill\n" + summary).isGreaterThan(20);
        assertThat(afterGrace).as("after the grace period the survivor serves everything\n" + summary)
                .allSatisfy(c -> assertThat(c.node()).isEqualTo(survivor));
        assertThat(all.stream().filter(c -> c.path().startsWith("/login/phone") && c.started() > killedAt + GRACE_NANOS
                && c.status() == 200)).as("sign-in steps served after the kill\n" + summary).isNotEmpty();

        // Refresh chains whose last refresh the dead node served go on at the survivor: the witnesses, and every load
        // chain that lost no refresh at the kill.
        for (Flows.Tokens witness : witnesses) {
            Http.Response refreshed = balancer.send("PATCH", "/api/v1/oauth/token", Http.bearer(witness.refreshToken()), null, null);
            assertThat(refreshed.status()).as("witness chain: " + refreshed.body()).isEqualTo(200);
            assertThat(node(refreshed.header("X-Upstream"))).isEqualTo(survivor);
            Http.Response info = balancer.get("/api/v1/oauth/user", Http.bearer(refreshed.json().get("access_token").asText()));
            assertThat(info.status()).as(info.body()).isEqualTo(200);
        }
        for (Chain chain : chains) {
            Http.Response refreshed = balancer.send("PATCH", "/api/v1/oauth/token", Http.bearer(chain.refresh), null, null);
            if (chain.lostAtKill) {
                // The dead node may have committed the rotation before dying: then this is a reused refresh token.
                assertThat(refreshed.status() == 200 || (refreshed.status() == 401 && refreshed.errorCode() == 100105))
                        .as("a refresh lost at the kill: %s %s", refreshed.status(), refreshed.body()).isTrue();
                continue;
            }
            assertThat(refreshed.status()).as("chain last refreshed by %s: %s", chain.lastRefreshNodeBeforeKill, refreshed.body())
                    .isEqualTo(200);
            Http.Response info = balancer.get("/api/v1/oauth/user", Http.bearer(refreshed.json().get("access_token").asText()));
            assertThat(info.status()).as(info.body()).isEqualTo(200);
        }

        // Sign-ins started before the kill, pages rendered by either node, complete at the survivor.
        assertThat(pending.stream().filter(p -> p.node().equals(victim))).as("sign-ins opened at the victim").isNotEmpty();
        for (Pending p : pending) {
            Browser.Page codePage = p.page();
            if (p.action().equals("/login/phone")) {
                codePage = p.browser().submit(p.page(), "/login/phone", Map.of("phone", p.user().phone(), "method", "otp"));
                assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
            }
            String code = smsCodes.get(p.user().phone());
            assertThat(code).as("SMS code for %s", p.user().phone()).isNotNull();
            Browser.Page page = p.browser().submit(codePage, "/login/code", Map.of("code", code));
            assertThat(page.status()).as("code step of a sign-in opened at %s: %s", p.node(), page.body()).isEqualTo(303);
            page = finish(p.browser(), page);
            Flows.Tokens tokens = exchange(page.location());
            assertThat(balancer.get("/api/v1/oauth/user", Http.bearer(tokens.accessToken())).status()).isEqualTo(200);
            assertThat(page.header("X-Upstream")).isEqualTo(survivor);
        }
    }

    private void chainLoad(String name, Chain chain, ConcurrentLinkedQueue<Call> calls, AtomicBoolean running) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        while (running.get() && !chain.lostAtKill) {
            Call refresh = call(client, name, "PATCH", "/api/v1/oauth/token", chain.refresh, calls);
            if (refresh.status() != 200) {
                chain.lostAtKill = true; // a failure: the assertions judge whether it was allowed
                return;
            }
            call(client, name, "GET", "/api/v1/oauth/user", chain.access, calls);
        }
    }

    private Call call(HttpClient client, String worker, String method, String path, String token,
                      ConcurrentLinkedQueue<Call> calls) {
        // the token fields are updated from the body below for refreshes
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(nginx.url + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            Call call = new Call(worker, method, path, started, System.nanoTime(), response.statusCode(),
                    node(response.headers().firstValue("X-Upstream").orElse("")),
                    response.statusCode() == 200 ? "" : response.body());
            calls.add(call);
            if (method.equals("PATCH") && response.statusCode() == 200) {
                JsonNode pair = kz.freedomid.platform.Json.MAPPER.readTree(response.body());
                Chain chain = chainOf.get(worker);
                synchronized (chain) {
                    chain.access = pair.get("access_token").asText();
                    chain.refresh = pair.get("refresh_token").asText();
                    chain.lastRefreshNode = call.node();
                }
            }
            return call;
        } catch (IOException | InterruptedException e) {
            Call call = new Call(worker, method, path, started, System.nanoTime(), 0, "", e.toString());
            calls.add(call);
            return call;
        }
    }

    private static final Map<String, Chain> chainOf = new ConcurrentHashMap<>();

    private Chain chain(Flows.Tokens tokens) {
        Chain chain = new Chain();
        chain.access = tokens.accessToken();
        chain.refresh = tokens.refreshToken();
        chainOf.put("chain-" + chainOf.size(), chain);
        return chain;
    }

    /** Sign-in steps under load: authorization link, login page, phone (an SMS code is sent). */
    private void signInLoad(String name, ConcurrentLinkedQueue<Call> calls, AtomicBoolean running) {
        while (running.get()) {
            String phone = Flows.newPhone(); // a new number each time: the per-phone SMS limits stay out of the way
            Browser browser = new Browser(nginx.url);
            long started = System.nanoTime();
            String link;
            try {
                Http.Response authorized = new Http(nginx.url).json("POST", "/api/v1/oauth/authorize", partner.basic(),
                        Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname")));
                calls.add(new Call(name, "POST", "/api/v1/oauth/authorize", started, System.nanoTime(), authorized.status(),
                        node(authorized.header("X-Upstream")), authorized.status() == 200 ? "" : authorized.body()));
                if (authorized.status() != 200) continue;
                link = authorized.json().get("redirect_uri").asText();
            } catch (RuntimeException e) {
                calls.add(new Call(name, "POST", "/api/v1/oauth/authorize", started, System.nanoTime(), 0, "", e.toString()));
                continue;
            }
            started = System.nanoTime();
            Browser.Page page;
            try {
                page = browser.get(link);
                calls.add(new Call(name, "GET", "/login", started, System.nanoTime(), page.status(),
                        node(page.header("X-Upstream")), page.status() == 200 ? "" : page.body()));
                if (page.status() != 200) continue;
            } catch (RuntimeException e) {
                calls.add(new Call(name, "GET", "/login", started, System.nanoTime(), 0, "", e.toString()));
                continue;
            }
            started = System.nanoTime();
            try {
                Browser.Page code = browser.submit(page, "/login/phone", Map.of("phone", phone, "method", "otp"));
                calls.add(new Call(name, "POST", "/login/phone", started, System.nanoTime(), code.status(),
                        node(code.header("X-Upstream")), code.status() == 200 ? "" : code.body()));
            } catch (RuntimeException e) {
                calls.add(new Call(name, "POST", "/login/phone", started, System.nanoTime(), 0, "", e.toString()));
            }
        }
    }

    /** A whole sign-in through nginx with an SMS code, consent approved; the tokens exchanged through nginx. */
    private Flows.Tokens signIn(User user) {
        Browser browser = new Browser(nginx.url);
        Browser.Page phonePage = browser.get(link());
        assertThat(phonePage.status()).as(phonePage.body()).isEqualTo(200);
        Browser.Page codePage = browser.submit(phonePage, "/login/phone", Map.of("phone", user.phone(), "method", "otp"));
        assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
        Browser.Page page = browser.submit(codePage, "/login/code", Map.of("code", smsCodes.get(user.phone())));
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        return exchange(finish(browser, page).location());
    }

    private static Browser.Page finish(Browser browser, Browser.Page page) {
        if (page.location().startsWith("/login/consent")) {
            Browser.Page consent = browser.follow(page);
            assertThat(consent.status()).as(consent.body()).isEqualTo(200);
            page = browser.submit(consent, "/login/consent", Map.of("decision", "approve"));
            assertThat(page.status()).as(page.body()).isEqualTo(303);
        }
        return page;
    }

    private static Flows.Tokens exchange(String location) {
        String code = Flows.query(location).get("authorization_code");
        assertThat(code).as(location).isNotNull();
        Http.Response exchanged = new Http(nginx.url).json("POST", "/api/v1/oauth/token", partner.basic(),
                Map.of("authorization_code", code));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        JsonNode json = exchanged.json();
        return new Flows.Tokens(json.get("id").asText(), json.get("access_token").asText(), json.get("refresh_token").asText());
    }

    /** A login link made through nginx; it points at nginx, the issuer every node was given. */
    private static String link() {
        Http.Response authorized = new Http(nginx.url).json("POST", "/api/v1/oauth/authorize", partner.basic(),
                Map.of("redirect_uri", partner.redirectUri(), "grants", List.of("read.firstname")));
        assertThat(authorized.status()).as(authorized.body()).isEqualTo(200);
        String link = authorized.json().get("redirect_uri").asText();
        assertThat(link).startsWith(nginx.url + "/login?track_id=");
        return link;
    }

    /** The node that answered: the last address in nginx's {@code $upstream_addr} (earlier ones failed). */
    private static String node(String upstream) {
        if (upstream == null) return "";
        String[] tried = upstream.split(",");
        return tried[tried.length - 1].strip();
    }

    private static String summary(List<Call> all, long killedAt) {
        StringBuilder out = new StringBuilder("calls: " + all.size() + "; around the kill and every failure:\n");
        all.stream().sorted(java.util.Comparator.comparingLong(Call::started))
                .filter(c -> c.failed() || Math.abs(c.started() - killedAt) < TimeUnit.MILLISECONDS.toNanos(300))
                .limit(60)
                .forEach(c -> out.append(String.format("  %+6d ms %-10s %-6s %-28s %3d %-16s %s%n",
                        TimeUnit.NANOSECONDS.toMillis(c.started() - killedAt), c.worker(), c.method(), c.path(), c.status(),
                        c.node(), c.error().length() > 120 ? c.error().substring(0, 120) : c.error())));
        return out.toString();
    }

    private static boolean ready(int port) {
        try {
            return new Http("http://127.0.0.1:" + port).get("/health/ready", null).status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
