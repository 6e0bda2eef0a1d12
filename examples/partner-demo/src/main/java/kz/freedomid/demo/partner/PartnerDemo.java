package kz.freedomid.demo.partner;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import kz.freedomid.client.FreedomIdClient;
import kz.freedomid.client.ProfileDecryptor;

/**
 * A partner's web app that signs its users in with Freedom ID through the Java SDK.
 * {@code java -jar partner-demo.jar keygen FILE} writes a profile key pair; without arguments it serves the app.
 */
public final class PartnerDemo implements AutoCloseable {
    private final HttpServer server;

    private PartnerDemo(HttpServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("keygen")) {
            keygen(Path.of(args[1]));
            return;
        }
        PartnerDemo demo = start(DemoConfig.from(System.getenv()));
        System.out.println("Partner demo on http://localhost:" + demo.port());
    }

    /** Starts the demo with settings given as environment-style names (see {@link DemoConfig}). */
    public static PartnerDemo start(java.util.Map<String, String> settings) throws IOException {
        return start(DemoConfig.from(settings));
    }

    static PartnerDemo start(DemoConfig config) throws IOException {
        FreedomIdClient client = FreedomIdClient.builder(config.freedomIdUrl(), config.clientId(), config.clientSecret()).build();
        ProfileDecryptor decryptor = config.profileKeyFile() == null ? null
                : ProfileDecryptor.fromJwkJson(Files.readString(Path.of(config.profileKeyFile())));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", config.port()), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        String baseUrl = "http://localhost:" + server.getAddress().getPort();
        new DemoHandlers(client, client.callbackVerifier(), decryptor, new DemoSessions(), baseUrl).register(server);
        server.start();
        return new PartnerDemo(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Writes a private RSA-OAEP-256 JWK to {@code file} and its public half to {@code file}.pub.json. */
    static void keygen(Path file) throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.ENCRYPTION).algorithm(JWEAlgorithm.RSA_OAEP_256)
                .keyID("partner-demo").generate();
        Files.writeString(file, key.toJSONString());
        Files.writeString(Path.of(file + ".pub.json"), key.toPublicJWK().toJSONString());
        System.out.println("wrote " + file + " (private, keep it) and " + file + ".pub.json (register it)");
    }
}
