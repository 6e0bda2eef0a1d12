package kz.freedomid.account;

/** A short "browser on system" description of a User-Agent for the sessions list; null parts when unrecognised. */
final class Devices {
    record Device(String browser, String system) {}

    private Devices() {}

    static Device describe(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) return new Device(null, null);
        return new Device(browser(userAgent), system(userAgent));
    }

    private static String browser(String ua) {
        if (ua.contains("YaBrowser/")) return "Yandex Browser";
        if (ua.contains("Edg/") || ua.contains("Edge/")) return "Edge";
        if (ua.contains("OPR/") || ua.contains("Opera")) return "Opera";
        if (ua.contains("Firefox/")) return "Firefox";
        if (ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/")) return "Chrome";
        if (ua.contains("Safari/") && ua.contains("Version/")) return "Safari";
        return null;
    }

    private static String system(String ua) {
        if (ua.contains("Android")) return "Android";
        if (ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iOS")) return "iOS";
        if (ua.contains("Windows")) return "Windows";
        if (ua.contains("Mac OS X") || ua.contains("Macintosh")) return "macOS";
        if (ua.contains("CrOS")) return "ChromeOS";
        if (ua.contains("Linux")) return "Linux";
        return null;
    }
}
