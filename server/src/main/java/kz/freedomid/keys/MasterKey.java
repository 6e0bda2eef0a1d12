package kz.freedomid.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kz.freedomid.platform.Config;

/** AES-256-GCM with the operator's master key: what protects private signing keys at rest. */
public final class MasterKey {
    private static final int IV_BYTES = 12;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private MasterKey(byte[] raw, SecureRandom random) {
        this.key = new SecretKeySpec(raw, "AES");
        this.random = random;
    }

    /**
     * From {@code FREEDOM_ID_MASTER_KEY} (32 bytes, Base64) when set; otherwise from {@code master.key} in the data
     * directory, created on first start.
     */
    public static MasterKey load(String configured, Path dataDir, SecureRandom random) {
        if (configured != null && !configured.isBlank()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(configured.trim());
            } catch (IllegalArgumentException e) {
                throw new Config.BadSettingException("FREEDOM_ID_MASTER_KEY", "must be Base64");
            }
            if (raw.length != 32) throw new Config.BadSettingException("FREEDOM_ID_MASTER_KEY", "must be 32 bytes (Base64 of 32 random bytes)");
            return new MasterKey(raw, random);
        }
        Path file = dataDir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                byte[] raw = new byte[32];
                random.nextBytes(raw);
                Files.createDirectories(dataDir);
                Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n");
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            return load(Files.readString(file).trim(), dataDir, random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key for {@code purpose} derived from the master key (HMAC-SHA256), the same on every node. */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String decrypt(String stored) {
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a signing key: is FREEDOM_ID_MASTER_KEY the one it was made with?", e);
        }
    }
}
