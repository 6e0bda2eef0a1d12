package kz.freedomid.platform.web;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The pages' style sheets under {@code /assets/}, from {@code /public/assets} on the class path, held in memory after the
 * first request. In place of Javalin's static files, whose handler builds a Jetty server of its own at start-up (about
 * 0.1 s of the time to ready and a thread pool, for two small files).
 */
public final class Assets {
    public static final String ROUTE = "/assets/*";
    private static final String PREFIX = "/assets/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of("css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon");

    private record Asset(byte[] bytes, String type) {}

    /** Only files that exist: a name that is not there is looked up again each time and never kept. */
    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    public void serve(Context ctx) {
        String name = ctx.path().substring(PREFIX.length());
        Optional<Asset> asset = NAME.matcher(name).matches() ? find(name) : Optional.empty();
        if (asset.isEmpty()) throw new NotFoundResponse(); // the usual 404 answer, as for any unknown path
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(asset.get().type()).result(asset.get().bytes());
    }

    private Optional<Asset> find(String name) {
        Asset asset = loaded.get(name);
        if (asset != null) return Optional.of(asset);
        Optional<Asset> found = load(name);
        found.ifPresent(a -> loaded.put(name, a));
        return found;
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = Assets.class.getResourceAsStream("/public/assets/" + name)) {
            if (in == null) return Optional.empty();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return Optional.of(new Asset(in.readAllBytes(), TYPES.get(extension)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
