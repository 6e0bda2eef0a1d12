package kz.freedomid.partner;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The grants of contract section 1: what a partner may ask for and a user consents to. */
public enum Grant {
    READ_FIRSTNAME("read.firstname"),
    READ_LASTNAME("read.lastname"),
    READ_PATRONYMIC("read.patronymic"),
    READ_DATE_OF_BIRTH("read.date_of_birth"),
    READ_GENDER("read.gender"),
    READ_COUNTRY("read.country"),
    READ_NATIONALITY("read.nationality"),
    READ_IDENTIFIER("read.identifier"),
    READ_PHONE("read.phone"),
    READ_PHONES("read.phones"),
    READ_EMAIL("read.email"),
    READ_EMAILS("read.emails"),
    READ_CARDS("read.cards"),
    READ_PROFILE("read.profile"),
    OPENID("openid");

    private static final Map<String, Grant> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Grant::wireName, Function.identity()));

    private final String wireName;

    Grant(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Grant> parse(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /** Space-separated stored form, in the enum's order so equal sets store equally. */
    public static String join(Collection<Grant> grants) {
        if (grants.isEmpty()) return "";
        return EnumSet.copyOf(grants).stream().map(Grant::wireName).collect(Collectors.joining(" "));
    }

    public static Set<Grant> split(String stored) {
        EnumSet<Grant> grants = EnumSet.noneOf(Grant.class);
        if (stored == null || stored.isBlank()) return grants;
        for (String name : stored.trim().split("\\s+")) {
            parse(name).ifPresent(grants::add);
        }
        return grants;
    }

    public static Set<Grant> all() {
        return EnumSet.allOf(Grant.class);
    }
}
