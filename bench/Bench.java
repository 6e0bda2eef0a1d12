import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Load generator for a running Freedom ID server and, beside it, a running Keycloak: seeds each (a partner and one
 * signed-in user per connection here; a realm, a confidential client and a user with a password there, through its
 * admin REST API), then drives each scenario with a fixed number of concurrent requests for a fixed time, first on
 * Freedom ID, then the comparable scenario on Keycloak, and prints throughput and p50/p90/p99 for both with the ratios.
 * Freedom ID may be several nodes behind a load balancer ({@code --url} is the balancer's, {@code --outboxes} the
 * nodes'). With {@code --soak-minutes} it runs the soak mode on Freedom ID instead (see {@link Soak}). Run by
 * {@code bench/run} and {@code bench/soak}.
 */
public class Bench {
    static final List<String> ALL = List.of("refresh", "oidc_refresh", "client_credentials", "userinfo", "oidc_userinfo",
            "introspect", "authorize_link", "full_sign_in");
    /** Our scenario and Keycloak's comparable one (authorize_link has none: Keycloak has no partner API). */
    static final Map<String, String> KEYCLOAK_OF = Map.of("refresh", "refresh", "oidc_refresh", "refresh",
            "client_credentials", "client_credentials", "userinfo", "userinfo", "oidc_userinfo", "userinfo",
            "introspect", "introspect", "full_sign_in", "password_login");
    static final String CALLBACK = "https://bench.example/callback";
    static final String REALM = "bench";

    /**
     * {@code phone} and {@code password}: a user made beforehand (bench/run uses the CLI), for full_sign_in.
     * {@code outboxes}: the nodes' own URLs, where the development outbox of each is read (behind a load balancer an
     * SMS code is in the memory of the node that sent it). {@code soakMinutes} > 0: the soak mode (Freedom ID only)
     * instead of the scenarios. {@code serverPids}: Freedom ID's server processes (one per node), whose resident memory
     * is reported (summed in the summary, one by one in the soak mode). The {@code kc*} settings are null when Keycloak
     * is not measured; the pids and ready times only feed the summary.
     */
    record Options(String base, String adminToken, int connections, int seconds, int warmup, List<String> scenarios,
            String phone, String password, List<String> outboxes, int soakMinutes, List<Long> serverPids, long readyMs,
            String kcBase, String kcAdminUser, String kcAdminPassword, long kcPid, long kcReadyMs, boolean freedom,
            long firstReadyMs, long kcFirstReadyMs) {}

    /** One simulated client: its own token chain, so a refresh never races another worker's. */
    static final class Worker {
        String access;
        String refresh;
        long[] latencies = new long[1 << 14];
        int count;
        long errors;
        /** A browser of its own for sign-ins; its cookies are cleared before each sign-in (a new device). */
        final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient browser;

        void record(long nanos) {
            if (count == latencies.length) latencies = Arrays.copyOf(latencies, count * 2);
            latencies[count++] = nanos;
        }

        HttpClient browser() {
            if (browser == null) {
                browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(5)).build();
            }
            return browser;
        }
    }

    /** A server under load: its workers (one per connection) and how it answers one iteration of a scenario. */
    interface Target {
        String name();

        List<Worker> workers();

        boolean once(String scenario, Worker w) throws IOException, InterruptedException;
    }

    /**
     * {@code serverCpuUs} and {@code dbCpuUs}: CPU time per request (per iteration) of the server's processes and of
     * every PostgreSQL process during the measured run, in microseconds (Linux /proc; -1 elsewhere). Unlike req/s they
     * hardly depend on the load generator sharing the machine: what a request costs the server and its database.
     */
    record Result(double perSecond, double p50, double p90, double p99, long errors, double serverCpuUs, double dbCpuUs) {}

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static String clientId;
    static String basic;

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        long idle = rssMb(o.serverPids()), kcIdle = rssMb(o.kcPid()); // before any request of ours: both servers idle
        if (o.soakMinutes() > 0) {
            if (!o.freedom() || o.kcBase() != null) throw new IllegalArgumentException("the soak mode runs on Freedom ID only");
            String idleEach = Soak.rssMb(o.serverPids());
            Target freedom = seedFreedom(o);
            System.out.printf("resident memory idle (before the setup's sign-ins), MB: %s%n", idleEach);
            Soak.run(o, freedom.workers());
            return;
        }
        Target freedom = o.freedom() ? seedFreedom(o) : null;
        Target keycloak = o.kcBase() != null ? new KeycloakTarget(o) : null;
        for (String scenario : o.scenarios()) {
            if (!ALL.contains(scenario)) throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + ALL);
        }
        // A first pass over every scenario, not counted, on both servers: the JIT compiles the common paths (Jetty,
        // JDBC, JSON, signing) there, not in whichever scenario happens to come first; each scenario still has its own
        // warm-up below.
        int firstPass = Math.min(o.warmup(), 3);
        System.out.printf("(a first pass, not counted: every scenario for %d s on each server)%n", firstPass);
        for (String scenario : o.scenarios()) {
            if (freedom != null) run(freedom, scenario, firstPass);
            String kc = KEYCLOAK_OF.get(scenario);
            if (keycloak != null && kc != null) run(keycloak, kc, firstPass);
        }
        System.out.printf("%-20s %-9s %6s %10s %9s %9s %9s %8s %10s %10s%n", "scenario", "server", "conns", "req/s", "p50 ms",
                "p90 ms", "p99 ms", "errors", "cpu µs/req", "db µs/req");
        Map<String, Result> ours = new LinkedHashMap<>();
        Map<String, Result> theirs = new LinkedHashMap<>();
        for (String scenario : o.scenarios()) {
            if (freedom != null) ours.put(scenario, print(o, scenario, "freedom", measure(o, freedom, o.serverPids(), scenario)));
            String kc = KEYCLOAK_OF.get(scenario);
            if (keycloak != null && kc != null && !theirs.containsKey(kc)) {
                theirs.put(kc, print(o, kc, "keycloak", measure(o, keycloak, List.of(o.kcPid()), kc)));
            }
        }
        System.out.println();
        System.out.println("Summary (ratio = Freedom ID / Keycloak for req/s, Keycloak / Freedom ID for p99: above 1 is better)");
        if (o.freedom() && o.serverPids().size() > 1) {
            System.out.printf("(Freedom ID: %d nodes behind nginx, ready times the slowest node's, resident memory the sum over "
                    + "the nodes; Keycloak: one node)%n", o.serverPids().size());
        }
        System.out.printf("%-38s %12s %12s %9s%n", "", "Freedom ID", "Keycloak", "ratio");
        row("ready after launch, first start, ms", o.freedom() ? o.firstReadyMs() : -1, keycloak != null ? o.kcFirstReadyMs() : -1, false);
        row("ready after launch, normal start, ms", o.freedom() ? o.readyMs() : -1, keycloak != null ? o.kcReadyMs() : -1, false);
        row("resident memory idle, MB", o.freedom() ? idle : -1, keycloak != null ? kcIdle : -1, false);
        row("resident memory after load, MB", o.freedom() ? rssMb(o.serverPids()) : -1, keycloak != null ? rssMb(o.kcPid()) : -1, false);
        for (String scenario : o.scenarios()) {
            Result f = ours.get(scenario);
            String kc = KEYCLOAK_OF.get(scenario);
            Result k = kc == null ? null : theirs.get(kc);
            String label = kc == null || kc.equals(scenario) ? scenario : scenario + " / " + kc;
            row(label + " req/s", f == null ? -1 : f.perSecond(), k == null ? -1 : k.perSecond(), true);
            row(label + " p99 ms", f == null ? -1 : f.p99(), k == null ? -1 : k.p99(), false);
            row(label + " server CPU µs/req", f == null ? -1 : f.serverCpuUs(), k == null ? -1 : k.serverCpuUs(), false);
            row(label + " server+db CPU µs/req", f == null || f.serverCpuUs() < 0 ? -1 : f.serverCpuUs() + f.dbCpuUs(),
                    k == null || k.serverCpuUs() < 0 ? -1 : k.serverCpuUs() + k.dbCpuUs(), false);
        }
    }

    /** A summary line; the ratio is ours over theirs when more is better, theirs over ours when less is. */
    static void row(String label, double ours, double theirs, boolean moreIsBetter) {
        String ratio = ours > 0 && theirs > 0 ? String.format("%.1f×", moreIsBetter ? ours / theirs : theirs / ours) : "";
        System.out.printf("%-38s %12s %12s %9s%n", label, ours < 0 ? "-" : fmt(ours), theirs < 0 ? "-" : fmt(theirs), ratio);
    }

    static String fmt(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.2f", v);
    }

    static Result print(Options o, String scenario, String server, Result r) {
        System.out.printf("%-20s %-9s %6d %10.0f %9.2f %9.2f %9.2f %8d %10.0f %10.0f%n", scenario, server, o.connections(),
                r.perSecond(), r.p50(), r.p90(), r.p99(), r.errors(), r.serverCpuUs(), r.dbCpuUs());
        return r;
    }

    /** A warm-up that is not counted, then the measured run. */
    static Result measure(Options o, Target t, List<Long> serverPids, String scenario) throws InterruptedException {
        run(t, scenario, o.warmup());
        t.workers().forEach(w -> { w.count = 0; w.errors = 0; });
        long serverBefore = cpuTicks(serverPids);
        Map<Long, Long> dbBefore = new LinkedHashMap<>();
        for (long pid : postgresPids()) dbBefore.put(pid, cpuTicks(List.of(pid)));
        double seconds = run(t, scenario, o.seconds());
        long serverTicks = cpuTicks(serverPids) - serverBefore;
        long dbTicks = 0; // over the processes that lived through the run (the pools keep their backends)
        for (var e : dbBefore.entrySet()) {
            long after = cpuTicks(List.of(e.getKey()));
            if (after >= 0 && e.getValue() >= 0) dbTicks += after - e.getValue();
        }
        long[] all = t.workers().stream().flatMapToLong(w -> Arrays.stream(w.latencies, 0, w.count)).sorted().toArray();
        long errors = t.workers().stream().mapToLong(w -> w.errors).sum();
        double perTick = all.length == 0 || serverBefore < 0 ? -1 : 1e6 / TICKS_PER_SECOND / all.length;
        return new Result(all.length / seconds, percentile(all, 50), percentile(all, 90), percentile(all, 99), errors,
                perTick < 0 ? -1 : serverTicks * perTick, perTick < 0 || dbBefore.isEmpty() ? -1 : dbTicks * perTick);
    }

    /** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat (100 on every common kernel). */
    static final long TICKS_PER_SECOND = 100;

    /** User and system CPU time of the processes summed, in clock ticks; -1 when one cannot be read. */
    static long cpuTicks(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return pids.isEmpty() ? -1 : total;
    }

    /** Every PostgreSQL process (server and backends) on this machine; empty when it runs elsewhere. */
    static List<Long> postgresPids() {
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .filter(n -> {
                        try {
                            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + n + "/comm")).trim()
                                    .equals("postgres");
                        } catch (IOException e) {
                            return false;
                        }
                    }).map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Runs {@code scenario} on every worker at once for {@code seconds}; returns the measured wall time. */
    static double run(Target t, String scenario, int seconds) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (Worker w : t.workers()) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = t.once(scenario, w);
                    } catch (IOException e) {
                        ok = false;
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (ok) w.record(System.nanoTime() - t0); else w.errors++;
                }
            }));
        }
        for (Thread th : threads) th.join();
        return (System.nanoTime() - start) / 1e9;
    }

    /** Resident memory of the processes summed (several nodes), in MB, or -1 without them or when one is gone. */
    static long rssMb(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            long mb = rssMb(pid);
            if (mb < 0) return -1;
            total += mb;
        }
        return pids.isEmpty() ? -1 : total;
    }

    /** Resident memory of a process in MB (Linux /proc), or -1 without one. */
    static long rssMb(long pid) {
        if (pid <= 0) return -1;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // gone or not Linux
        }
        return -1;
    }

    // ---- Freedom ID ----

    static Target seedFreedom(Options o) throws IOException, InterruptedException {
        registerPartner(o);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < o.connections(); i++) workers.add(signIn(o, i));
        if (o.soakMinutes() > 0 || o.scenarios().contains("full_sign_in")) {
            Worker first = workers.get(0);
            if (!passwordSignIn(o, first, true)) throw new IllegalStateException("the password user cannot sign in");
        }
        System.out.printf("Freedom ID seeded: 1 partner, %d users signed in%n", workers.size());
        return new Target() {
            public String name() { return "freedom"; }
            public List<Worker> workers() { return workers; }
            public boolean once(String scenario, Worker w) throws IOException, InterruptedException {
                return Bench.once(o, scenario, w);
            }
        };
    }

    static boolean once(Options o, String scenario, Worker w) throws IOException, InterruptedException {
        switch (scenario) {
            case "refresh" -> {
                HttpResponse<String> r = send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/token"))
                        .header("Authorization", "Bearer " + w.refresh).method("PATCH", HttpRequest.BodyPublishers.noBody()));
                if (r.statusCode() != 200) return false;
                w.access = field(r.body(), "access_token");
                w.refresh = field(r.body(), "refresh_token");
                return true;
            }
            case "oidc_refresh" -> {
                HttpResponse<String> r = send(form(o, "/api/v1/oidc/token", "grant_type=refresh_token&refresh_token=" + enc(w.refresh)));
                if (r.statusCode() != 200) return false;
                w.access = field(r.body(), "access_token");
                w.refresh = field(r.body(), "refresh_token");
                return true;
            }
            case "oidc_userinfo" -> {
                return send(HttpRequest.newBuilder(uri(o, "/api/v1/oidc/userinfo")).header("Authorization", "Bearer " + w.access)
                        .GET()).statusCode() == 200;
            }
            case "authorize_link" -> {
                return send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/authorize")).header("Authorization", basic)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"redirect_uri\":\"https://bench.example/callback\",\"grants\":[\"openid\",\"read.firstname\"]}")))
                        .statusCode() == 200;
            }
            case "client_credentials" -> {
                return send(form(o, "/api/v1/oidc/token", "grant_type=client_credentials")).statusCode() == 200;
            }
            case "userinfo" -> {
                return send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/user")).header("Authorization", "Bearer " + w.access)
                        .GET()).statusCode() == 200;
            }
            case "introspect" -> {
                HttpResponse<String> r = send(form(o, "/api/v1/oidc/introspect", "token=" + enc(w.access)));
                return r.statusCode() == 200 && r.body().contains("\"active\":true");
            }
            case "full_sign_in" -> {
                return passwordSignIn(o, w, false);
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + ALL);
        }
    }

    static void registerPartner(Options o) throws IOException, InterruptedException {
        String body = "{\"name\":\"Bench\",\"redirect_uris\":[\"https://bench.example/callback\"],"
                + "\"grants\":[\"openid\",\"read.firstname\",\"read.profile\"],\"permissions\":[\"users:write\"],"
                + "\"profile_jwk\":" + profileJwk() + "}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(o, "/admin/api/v1/partners"))
                .header("Authorization", "Bearer " + o.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 201) throw new IllegalStateException("partner not created: " + r.statusCode() + " " + r.body());
        clientId = field(r.body(), "client_id");
        basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + field(r.body(), "client_secret"))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A public RSA key for profile encryption (contract 3.7): the soak mode's profile requests are then accepted. */
    static String profileJwk() {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var key = (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic();
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return "{\"kty\":\"RSA\",\"use\":\"enc\",\"alg\":\"RSA-OAEP-256\",\"kid\":\"bench\",\"n\":\""
                    + b64.encodeToString(unsigned(key.getModulus())) + "\",\"e\":\""
                    + b64.encodeToString(unsigned(key.getPublicExponent())) + "\"}";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] unsigned(java.math.BigInteger n) {
        byte[] bytes = n.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** The newest SMS code sent to {@code phone}, from whichever node's development outbox holds it. */
    static String outboxCode(Options o, String phone) throws IOException, InterruptedException {
        for (String node : o.outboxes()) {
            HttpResponse<String> outbox = send(HttpRequest.newBuilder(URI.create(node + "/dev/outbox?to=" + enc(phone))).GET());
            if (outbox.statusCode() == 200 && outbox.body().contains("\"code\"")) {
                Matcher m = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]*)\"").matcher(outbox.body());
                String last = null;
                while (m.find()) last = m.group(1);
                return last;
            }
        }
        throw new IllegalStateException("no SMS code for " + phone + " in the outboxes of " + o.outboxes());
    }

    /** A new user through the hosted pages: link, phone, SMS code from the dev outbox, sign-up, consent, exchange. */
    static Worker signIn(Options o, int n) throws IOException, InterruptedException {
        String phone = "+7700" + String.format("%07d", n); // bench/run starts every run on an empty database
        HttpResponse<String> link = send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/authorize")).header("Authorization", basic)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"redirect_uri\":\"https://bench.example/callback\",\"grants\":[\"openid\",\"read.firstname\",\"read.profile\"]}")));
        expect(link, 200);
        try (HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build()) {
            URI linkUri = URI.create(field(link.body(), "redirect_uri"));
            HttpResponse<String> page = expect(get(browser, uri(o, linkUri.getRawPath() + "?" + linkUri.getRawQuery())), 200);
            page = expect(post(browser, o, "/login/phone", hidden(page.body(), Map.of("phone", phone, "method", "otp"))), 200);
            page = post(browser, o, "/login/code", hidden(page.body(), Map.of("code", outboxCode(o, phone))));
            if (page.statusCode() == 200 && page.body().contains("/login/signup")) {
                page = post(browser, o, "/login/signup", hidden(page.body(), Map.of("firstname", "Bench", "lastname", "User")));
            }
            String location = expect(page, 303).headers().firstValue("Location").orElseThrow();
            if (location.startsWith("/login/consent")) {
                HttpResponse<String> consent = expect(get(browser, uri(o, location)), 200);
                location = expect(post(browser, o, "/login/consent", hidden(consent.body(), Map.of("decision", "approve"))), 303)
                        .headers().firstValue("Location").orElseThrow();
            }
            Matcher code = Pattern.compile("authorization_code=([^&]+)").matcher(location);
            if (!code.find()) throw new IllegalStateException("no code in " + location);
            HttpResponse<String> tokens = expect(send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/token"))
                    .header("Authorization", basic).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                            .ofString("{\"authorization_code\":\"" + code.group(1) + "\"}"))), 200);
            Worker w = new Worker();
            w.access = field(tokens.body(), "access_token");
            w.refresh = field(tokens.body(), "refresh_token");
            return w;
        }
    }

    /**
     * Link → phone + password (Argon2id) → consent, approved once in setup and remembered after → code → token exchange,
     * in a browser with no cookies, as a user on a new device.
     */
    static boolean passwordSignIn(Options o, Worker w, boolean approveConsent) throws IOException, InterruptedException {
        HttpClient browser = w.browser();
        w.cookies.getCookieStore().removeAll();
        HttpResponse<String> link = send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/authorize")).header("Authorization", basic)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"redirect_uri\":\"https://bench.example/callback\",\"grants\":[\"openid\",\"read.firstname\"]}")));
        if (link.statusCode() != 200) return false;
        URI linkUri = URI.create(field(link.body(), "redirect_uri"));
        HttpResponse<String> page = get(browser, uri(o, linkUri.getRawPath() + "?" + linkUri.getRawQuery()));
        if (page.statusCode() != 200) return false;
        page = post(browser, o, "/login/phone", hidden(page.body(), Map.of("phone", o.phone(), "method", "password")));
        if (page.statusCode() != 200) return false;
        page = post(browser, o, "/login/password", hidden(page.body(), Map.of("password", o.password())));
        if (page.statusCode() != 303) return false;
        String location = page.headers().firstValue("Location").orElse("");
        if (location.startsWith("/login/consent")) {
            if (!approveConsent) return false; // remembered consent is part of the scenario
            HttpResponse<String> consent = get(browser, uri(o, location));
            page = post(browser, o, "/login/consent", hidden(consent.body(), Map.of("decision", "approve")));
            location = page.headers().firstValue("Location").orElse("");
        }
        Matcher code = Pattern.compile("authorization_code=([^&]+)").matcher(location);
        if (!code.find()) return false;
        return send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/token")).header("Authorization", basic)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"authorization_code\":\"" + code.group(1) + "\"}"))).statusCode() == 200;
    }

    // ---- Keycloak ----

    /**
     * Keycloak with a realm seeded through its admin REST API: a confidential client with the standard flow and a
     * service account, and a user with a password (Argon2id at the cost bench/run gave Keycloak, which matches ours).
     * Refresh tokens are single-use, as ours are (revokeRefreshToken, no reuse); tokens outlive the run. Each worker
     * signs in once through the login form and then owns its own refresh chain.
     */
    static final class KeycloakTarget implements Target {
        final String base;
        final String realmBase;
        final String basic;
        final String password = "Kc-" + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
        final List<Worker> workers = new ArrayList<>();

        KeycloakTarget(Options o) throws IOException, InterruptedException {
            base = o.kcBase();
            realmBase = base + "/realms/" + REALM;
            String secret = "bench-" + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
            basic = "Basic " + Base64.getEncoder().encodeToString(("bench:" + secret).getBytes(StandardCharsets.UTF_8));
            String token = field(expect(send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                            "grant_type=password&client_id=admin-cli&username=" + enc(o.kcAdminUser()) + "&password="
                                    + enc(o.kcAdminPassword())))), 200).body(), "access_token");
            send(admin(token, "DELETE", "/" + REALM, null)); // a realm left by an earlier run on the same Keycloak
            expect(send(admin(token, "POST", "", "{\"realm\":\"" + REALM + "\",\"enabled\":true,"
                    + "\"accessTokenLifespan\":7200,\"ssoSessionIdleTimeout\":86400,\"ssoSessionMaxLifespan\":86400,"
                    + "\"revokeRefreshToken\":true,\"refreshTokenMaxReuse\":0,\"bruteForceProtected\":false,"
                    + "\"passwordPolicy\":\"hashAlgorithm(argon2)\"}")), 201);
            expect(send(admin(token, "POST", "/" + REALM + "/clients", "{\"clientId\":\"bench\",\"enabled\":true,"
                    + "\"protocol\":\"openid-connect\",\"publicClient\":false,\"clientAuthenticatorType\":\"client-secret\","
                    + "\"secret\":\"" + secret + "\",\"standardFlowEnabled\":true,\"serviceAccountsEnabled\":true,"
                    + "\"directAccessGrantsEnabled\":false,\"consentRequired\":false,"
                    + "\"redirectUris\":[\"" + CALLBACK + "\"],"
                    // Keycloak 26 introspects only tokens whose audience names the asking client (ours: the partner's).
                    + "\"protocolMappers\":[{\"name\":\"audience\",\"protocol\":\"openid-connect\","
                    + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.client.audience\":\"bench\","
                    + "\"access.token.claim\":\"true\",\"introspection.token.claim\":\"true\"}}]}")), 201);
            expect(send(admin(token, "POST", "/" + REALM + "/users", "{\"username\":\"bench\",\"enabled\":true,"
                    + "\"email\":\"bench@bench.example\",\"emailVerified\":true,\"firstName\":\"Bench\",\"lastName\":\"User\","
                    + "\"credentials\":[{\"type\":\"password\",\"value\":\"" + password + "\",\"temporary\":false}]}")), 201);
            for (int i = 0; i < o.connections(); i++) {
                Worker w = new Worker();
                if (!passwordLogin(w)) throw new IllegalStateException("the Keycloak user cannot sign in through the login form");
                workers.add(w);
            }
            System.out.printf("Keycloak seeded: realm %s, 1 client, 1 user, %d sign-ins through the login form%n", REALM,
                    workers.size());
        }

        HttpRequest.Builder admin(String token, String method, String path, String json) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/admin/realms" + path))
                    .header("Authorization", "Bearer " + token);
            if (json == null) return b.method(method, HttpRequest.BodyPublishers.noBody());
            return b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }

        public String name() {
            return "keycloak";
        }

        public List<Worker> workers() {
            return workers;
        }

        public boolean once(String scenario, Worker w) throws IOException, InterruptedException {
            switch (scenario) {
                case "refresh" -> {
                    HttpResponse<String> r = send(tokenRequest("grant_type=refresh_token&refresh_token=" + enc(w.refresh)));
                    if (r.statusCode() != 200) return false;
                    w.access = field(r.body(), "access_token");
                    w.refresh = field(r.body(), "refresh_token");
                    return true;
                }
                case "client_credentials" -> {
                    return send(tokenRequest("grant_type=client_credentials")).statusCode() == 200;
                }
                case "userinfo" -> {
                    return send(HttpRequest.newBuilder(URI.create(realmBase + "/protocol/openid-connect/userinfo"))
                            .header("Authorization", "Bearer " + w.access).GET()).statusCode() == 200;
                }
                case "introspect" -> {
                    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(realmBase
                                    + "/protocol/openid-connect/token/introspect")).header("Authorization", basic)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(w.access))));
                    return r.statusCode() == 200 && r.body().contains("\"active\":true");
                }
                case "password_login" -> {
                    return passwordLogin(w);
                }
                default -> throw new IllegalArgumentException("no Keycloak scenario " + scenario);
            }
        }

        HttpRequest.Builder tokenRequest(String body) {
            return HttpRequest.newBuilder(URI.create(realmBase + "/protocol/openid-connect/token")).header("Authorization", basic)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        }

        /**
         * A browser with no cookies: GET the authorization endpoint, POST the login form (Argon2id), follow the redirect's
         * code to the token endpoint. The worker keeps the tokens, so setup's sign-ins start the refresh chains.
         */
        boolean passwordLogin(Worker w) throws IOException, InterruptedException {
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(realmBase + "/protocol/openid-connect/auth"
                    + "?client_id=bench&response_type=code&scope=openid&redirect_uri=" + enc(CALLBACK) + "&state="
                    + Long.toHexString(System.nanoTime()))).header("Accept-Language", "en").GET());
            if (page.statusCode() != 200) return false;
            Matcher action = Pattern.compile("action=\"([^\"]*/login-actions/authenticate[^\"]*)\"").matcher(page.body());
            if (!action.find()) return false;
            // Keycloak marks its cookies Secure even on http, which java.net.CookieManager then never sends back over
            // http; so they are carried by hand, as a browser treating 127.0.0.1 as a secure context does.
            String cookies = page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                    .collect(Collectors.joining("; "));
            String body = "username=bench&password=" + enc(password) + "&credentialId=";
            HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept-Language", "en")
                    .header("Cookie", cookies).POST(HttpRequest.BodyPublishers.ofString(body)));
            if (login.statusCode() != 302) return false;
            Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(login.headers().firstValue("Location").orElse(""));
            if (!code.find()) return false;
            HttpResponse<String> tokens = send(tokenRequest("grant_type=authorization_code&code=" + code.group(1)
                    + "&redirect_uri=" + enc(CALLBACK)));
            if (tokens.statusCode() != 200) return false;
            w.access = field(tokens.body(), "access_token");
            w.refresh = field(tokens.body(), "refresh_token");
            return true;
        }
    }

    // ---- HTTP helpers ----

    /** The page's first form's hidden fields (csrf, track_id, …) with {@code fields} added. */
    static Map<String, String> hidden(String html, Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(html);
        while (m.find()) out.putIfAbsent(m.group(1), m.group(2).replace("&#43;", "+").replace("&amp;", "&"));
        out.putAll(fields);
        return out;
    }

    static HttpResponse<String> get(HttpClient browser, URI uri) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept-Language", "en").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient browser, Options o, String path, Map<String, String> fields)
            throws IOException, InterruptedException {
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(uri(o, path)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept-Language", "en").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder form(Options o, String path, String body) {
        return HttpRequest.newBuilder(uri(o, path)).header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().uri().getPath() + ": expected " + status + ", got " + r.statusCode()
                    + "\n" + r.body());
        }
        return r;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
        return m.group(1).replace("\\/", "/").replace("\\u0026", "&");
    }

    static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
    }

    static URI uri(Options o, String path) {
        return URI.create(o.base() + path);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Options parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        String base = a.getOrDefault("url", "http://127.0.0.1:18080");
        return new Options(base, a.get("admin-token"),
                Integer.parseInt(a.getOrDefault("connections", "32")), Integer.parseInt(a.getOrDefault("seconds", "20")),
                Integer.parseInt(a.getOrDefault("warmup", "5")),
                List.of(a.getOrDefault("scenarios", String.join(",", ALL)).split(",")), a.get("phone"), a.get("password"),
                List.of(a.getOrDefault("outboxes", base).split(",")), Integer.parseInt(a.getOrDefault("soak-minutes", "0")),
                a.containsKey("server-pids") ? Arrays.stream(a.get("server-pids").split(",")).map(Long::valueOf).toList() : List.of(),
                Long.parseLong(a.getOrDefault("ready-ms", "-1")),
                a.get("keycloak-url"), a.getOrDefault("keycloak-admin", "admin"), a.get("keycloak-admin-password"),
                Long.parseLong(a.getOrDefault("keycloak-pid", "0")), Long.parseLong(a.getOrDefault("keycloak-ready-ms", "-1")),
                !"false".equals(a.get("freedom")), Long.parseLong(a.getOrDefault("first-ready-ms", "-1")),
                Long.parseLong(a.getOrDefault("keycloak-first-ready-ms", "-1")));
    }

    /**
     * The soak mode: every connection runs the mixed workload (user info, refreshes, profile requests and their status,
     * whole password sign-ins) in a closed loop for {@code soakMinutes}; every minute one line with that minute's
     * throughput, errors and p99 and the servers' resident memory, so a leak or a slow-down shows as a trend.
     */
    static final class Soak {
        /** Out of 100 iterations: 45 user info, 25 refreshes, 20 profile requests (with a status read), 10 sign-ins. */
        static String pick(java.util.concurrent.ThreadLocalRandom random) {
            int r = random.nextInt(100);
            return r < 45 ? "userinfo" : r < 70 ? "refresh" : r < 90 ? "profile" : "full_sign_in";
        }

        static final class Window {
            final java.util.concurrent.ConcurrentLinkedQueue<Long> latencies = new java.util.concurrent.ConcurrentLinkedQueue<>();
            final java.util.concurrent.atomic.LongAdder errors = new java.util.concurrent.atomic.LongAdder();
            final Map<String, java.util.concurrent.atomic.LongAdder> perKind = new java.util.concurrent.ConcurrentHashMap<>();
        }

        /** {@code workers} are seeded by {@link #seedFreedom}, whose first worker has already made the password sign-in. */
        static void run(Options o, List<Worker> workers) throws Exception {
            var window = new java.util.concurrent.atomic.AtomicReference<>(new Window());
            long end = System.nanoTime() + Duration.ofMinutes(o.soakMinutes()).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (Worker w : workers) {
                threads.add(Thread.ofVirtual().start(() -> {
                    var random = java.util.concurrent.ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        String kind = pick(random);
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            ok = kind.equals("profile") ? profile(o, w) : once(o, kind, w);
                        } catch (IOException | RuntimeException e) {
                            ok = false;
                        } catch (InterruptedException e) {
                            return;
                        }
                        Window current = window.get();
                        if (ok) current.latencies.add(System.nanoTime() - t0); else current.errors.increment();
                        current.perKind.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.LongAdder()).increment();
                    }
                }));
            }
            System.out.printf("soak: %d connections, %d minutes; mix per 100 iterations: 45 userinfo, 25 refresh, "
                    + "20 profile (request + status), 10 full_sign_in%n", workers.size(), o.soakMinutes());
            System.out.printf("%-6s %9s %8s %9s %9s %12s  %s%n", "minute", "iter/s", "errors", "p50 ms", "p99 ms", "RSS MB",
                    "iterations per kind");
            long start = System.nanoTime();
            long totalRequests = 0;
            long totalErrors = 0;
            for (int minute = 1; minute <= o.soakMinutes(); minute++) {
                long due = start + Duration.ofMinutes(minute).toNanos();
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                Window done = window.getAndSet(new Window());
                long[] sorted = done.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                totalRequests += sorted.length;
                totalErrors += done.errors.sum();
                System.out.printf("%-6d %9.0f %8d %9.2f %9.2f %12s  %s%n", minute, sorted.length / 60.0, done.errors.sum(),
                        percentile(sorted, 50), percentile(sorted, 99), rssMb(o.serverPids()),
                        new java.util.TreeMap<>(done.perKind));
            }
            for (Thread t : threads) t.join();
            System.out.printf("total: %d iterations, %d errors%n", totalRequests, totalErrors);
        }

        /** POST get-profile with a new request_id (queued for the job queue), then its status. */
        static boolean profile(Options o, Worker w) throws IOException, InterruptedException {
            String requestId = java.util.UUID.randomUUID().toString();
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/get-profile"))
                    .header("Authorization", "Bearer " + w.access).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"request_id\":\"" + requestId + "\"}")));
            if (r.statusCode() != 200 || !r.body().contains("\"accepted\"")) return false;
            return send(HttpRequest.newBuilder(uri(o, "/api/v1/oauth/get-profile/status?request_id=" + requestId))
                    .header("Authorization", "Bearer " + w.access).GET()).statusCode() == 200;
        }

        /** Resident memory of each server process (VmRSS), in MB, joined with '+' ("gone" for a process that ended). */
        static String rssMb(List<Long> pids) {
            if (pids.isEmpty()) return "-";
            List<String> out = new ArrayList<>();
            for (long pid : pids) {
                long mb = Bench.rssMb(pid);
                out.add(mb < 0 ? "gone" : String.valueOf(mb));
            }
            return String.join("+", out);
        }
    }
}
