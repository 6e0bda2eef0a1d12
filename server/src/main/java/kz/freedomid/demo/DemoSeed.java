package kz.freedomid.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import kz.freedomid.partner.Grant;
import kz.freedomid.partner.PartnerService;
import kz.freedomid.user.NewUser;
import kz.freedomid.user.UserService;

/**
 * Development mode only: a demo partner whose secret is kept in the data directory (so the built-in demo partner page
 * can use it) and a demo user with a password.
 */
public final class DemoSeed {
    public static final UUID DEMO_CLIENT_ID = UUID.fromString("00000000-0000-4000-8000-00000000de70");
    public static final String DEMO_PHONE = "+77000000001";
    public static final String DEMO_PASSWORD = "freedom-demo";

    public record DemoPartner(UUID clientId, String clientSecret, String redirectUri) {
        @Override
        public String toString() {
            return "DemoPartner[" + clientId + "]";
        }
    }

    private DemoSeed() {}

    public static DemoPartner seed(PartnerService partners, UserService users, Path dataDir, String issuer) {
        String redirectUri = issuer + "/demo/callback";
        Path secretFile = dataDir.resolve("demo-partner.properties");
        String secret = readSecret(secretFile);
        var existing = partners.find(DEMO_CLIENT_ID);
        if (existing.isEmpty()) {
            secret = partners.register(new PartnerService.NewPartner("Freedom ID demo shop", List.of(redirectUri),
                    EnumSet.allOf(Grant.class), null), DEMO_CLIENT_ID, newSecret()).clientSecret();
            writeSecret(secretFile, secret);
        } else if (secret == null) {
            secret = partners.rotateSecret(DEMO_CLIENT_ID).orElseThrow();
            writeSecret(secretFile, secret);
        }
        if (users.findByPhone(DEMO_PHONE).isEmpty()) {
            users.create(new NewUser(DEMO_PHONE, "demo@example.com", "Demo", "User", DEMO_PASSWORD, true, null));
        }
        return new DemoPartner(DEMO_CLIENT_ID, secret, redirectUri);
    }

    private static String newSecret() {
        return new kz.freedomid.platform.Secrets(new java.security.SecureRandom()).alphanumeric(64);
    }

    private static String readSecret(Path file) {
        if (!Files.exists(file)) return null;
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        return p.getProperty("client_secret");
    }

    private static void writeSecret(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "# Development demo partner; regenerated when missing.\nclient_id=" + DEMO_CLIENT_ID
                    + "\nclient_secret=" + secret + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
