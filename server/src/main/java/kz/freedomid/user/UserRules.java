package kz.freedomid.user;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import kz.freedomid.platform.FieldErrors;

/**
 * The contract's validation of user data (3.8, 3.9), with messages keyed by field as section 2 shows ({@code phones.1}).
 * Returns the input normalised: names trimmed (blank means cleared), emails lower-case. Messages never repeat the value.
 */
public final class UserRules {
    public static final Pattern PHONE = UserService.PHONE;
    /** The WHATWG HTML definition of a valid e-mail address: what browsers accept in an email field. */
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
            + "@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
    private static final DateTimeFormatter STRICT_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> COUNTRIES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);
    static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);
    static final int MAX_EMAIL = 254; // RFC 5321 §4.5.3.1.3: the longest path
    static final int MAX_EMAIL_LOCAL_PART = 64;
    static final int MAX_NAME = 100; // users.firstname, lastname, patronymic, nationality
    static final int MAX_IDENTIFIER = 64;
    public static final int MAX_ADDITIONAL = 10;

    private UserRules() {}

    /** @param creating on create {@code phone} is required; on update it may be omitted but never cleared */
    public static UserInput check(UserInput in, boolean creating, LocalDate today, FieldErrors errors) {
        return new UserInput(
                phone(in.phone(), creating, errors),
                email(in.email(), errors),
                name("firstname", in.firstname(), MAX_NAME, true, errors),
                name("lastname", in.lastname(), MAX_NAME, true, errors),
                name("patronymic", in.patronymic(), MAX_NAME, true, errors),
                dateOfBirth(in.dateOfBirth(), today, errors),
                gender(in.gender(), errors),
                country(in.country(), errors),
                name("nationality", in.nationality(), MAX_NAME, true, errors),
                name("identifier", in.identifier(), MAX_IDENTIFIER, false, errors),
                phones(in.phones(), errors),
                emails(in.emails(), errors));
    }

    /** A value may be primary or additional, not both (the database would otherwise see a clash with the user itself). */
    public static void checkNoRepeats(String phone, List<String> phones, String email, List<String> emails,
                                      FieldErrors errors) {
        for (int i = 0; i < phones.size(); i++) {
            if (phones.get(i).equals(phone)) errors.add("phones." + i, "The phones." + i + " is the same as the phone.");
        }
        for (int i = 0; i < emails.size(); i++) {
            if (emails.get(i).equals(email)) errors.add("emails." + i, "The emails." + i + " is the same as the email.");
        }
    }

    public static boolean isPhone(String value) {
        return value != null && PHONE.matcher(value).matches();
    }

    public static boolean isEmail(String value) {
        if (value == null || value.length() > MAX_EMAIL || !EMAIL.matcher(value).matches()) return false;
        return value.indexOf('@') <= MAX_EMAIL_LOCAL_PART;
    }

    private static Patch<String> phone(Patch<String> p, boolean creating, FieldErrors errors) {
        String value = p instanceof Patch.Put<String> put ? put.value() : null;
        if (value == null || value.isEmpty()) {
            if (creating) {
                errors.add("phone", "The phone field is required.");
            } else if (!p.isKeep()) {
                errors.add("phone", "The phone cannot be cleared.");
            }
            return Patch.keep();
        }
        if (!isPhone(value)) errors.add("phone", "The phone must be + and 10 to 15 digits.");
        return p;
    }

    private static Patch<String> email(Patch<String> p, FieldErrors errors) {
        if (!(p instanceof Patch.Put<String> put)) return p;
        String value = put.value().strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) return Patch.clear();
        if (!isEmail(value)) errors.add("email", "The email must be a valid email address.");
        return Patch.put(value);
    }

    private static Patch<String> name(String field, Patch<String> p, int max, boolean refuseCardNumbers,
                                      FieldErrors errors) {
        if (!(p instanceof Patch.Put<String> put)) return p;
        String value = put.value().strip();
        if (value.isEmpty()) return Patch.clear();
        if (value.length() > max) {
            errors.add(field, "The " + field + " may not be greater than " + max + " characters.");
        } else if (value.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(field, "The " + field + " may not contain control characters.");
        } else if (refuseCardNumbers && CardNumbers.looksLikeFullNumber(value)) {
            errors.add(field, "The " + field + " looks like a card number, which is never stored.");
        }
        return Patch.put(value);
    }

    private static Patch<String> dateOfBirth(Patch<String> p, LocalDate today, FieldErrors errors) {
        if (!(p instanceof Patch.Put<String> put)) return p;
        if (put.value().isEmpty()) return Patch.clear();
        LocalDate date = parseDate(put.value());
        if (date == null) {
            errors.add("date_of_birth", "The date_of_birth is not a valid date (YYYY-MM-DD).");
        } else if (!date.isBefore(today)) {
            errors.add("date_of_birth", "The date_of_birth must be a date before today.");
        } else if (date.isBefore(EARLIEST_BIRTH)) {
            errors.add("date_of_birth", "The date_of_birth must be a date after " + EARLIEST_BIRTH.minusDays(1) + ".");
        }
        return p;
    }

    /** A real calendar date in the form YYYY-MM-DD (2023-02-30 is not one); null otherwise. */
    public static LocalDate parseDate(String value) {
        if (value == null || !DATE.matcher(value).matches()) return null;
        try {
            return LocalDate.parse(value, STRICT_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Patch<String> gender(Patch<String> p, FieldErrors errors) {
        if (!(p instanceof Patch.Put<String> put)) return p;
        if (put.value().isEmpty()) return Patch.clear();
        if (!put.value().equals("M") && !put.value().equals("F")) errors.add("gender", "The gender must be M or F.");
        return p;
    }

    private static Patch<String> country(Patch<String> p, FieldErrors errors) {
        if (!(p instanceof Patch.Put<String> put)) return p;
        if (put.value().isEmpty()) return Patch.clear();
        if (!isCountry(put.value())) {
            errors.add("country", "The country must be an ISO 3166-1 alpha-3 code, such as KAZ.");
        }
        return p;
    }

    public static boolean isCountry(String value) {
        return value != null && value.length() == 3 && COUNTRIES.contains(value) && value.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    private static Patch<List<String>> phones(Patch<List<String>> p, FieldErrors errors) {
        if (!(p instanceof Patch.Put<List<String>> put)) return p;
        List<String> items = put.value();
        if (items.size() > MAX_ADDITIONAL) {
            errors.add("phones", "The phones may not have more than " + MAX_ADDITIONAL + " items.");
            return p;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            if (!isPhone(item)) {
                errors.add("phones." + i, "The phones." + i + " must be + and 10 to 15 digits.");
            } else if (!seen.add(item)) {
                errors.add("phones." + i, "The phones." + i + " field has a duplicate value.");
            }
        }
        return p;
    }

    private static Patch<List<String>> emails(Patch<List<String>> p, FieldErrors errors) {
        if (!(p instanceof Patch.Put<List<String>> put)) return p;
        if (put.value().size() > MAX_ADDITIONAL) {
            errors.add("emails", "The emails may not have more than " + MAX_ADDITIONAL + " items.");
            return p;
        }
        List<String> normalised = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < put.value().size(); i++) {
            String item = put.value().get(i) == null ? "" : put.value().get(i).strip().toLowerCase(Locale.ROOT);
            if (!isEmail(item)) {
                errors.add("emails." + i, "The emails." + i + " must be a valid email address.");
            } else if (!seen.add(item)) {
                errors.add("emails." + i, "The emails." + i + " field has a duplicate value.");
            }
            normalised.add(item);
        }
        return Patch.put(List.copyOf(normalised));
    }
}
