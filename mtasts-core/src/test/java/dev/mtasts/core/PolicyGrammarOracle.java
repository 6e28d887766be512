package dev.mtasts.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent, regex-based reading of the RFC 8461 §3.2 ABNF plus our DECISIONs (STS-POL-1..11),
 * used as an oracle: it only says whether a text is a valid policy.
 */
final class PolicyGrammarOracle {
    private static final String VCHAR = "[\\x21-\\x7e\\x{80}-\\x{D7FF}\\x{E000}-\\x{10FFFF}]";
    // DOTALL: without it '.' refuses U+0085, U+2028 and U+2029, which the ABNF allows in values.
    private static final Pattern LINE =
            Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \\t]*(.*?)[ \\t]*", Pattern.DOTALL);
    private static final Pattern EXT_VALUE = Pattern.compile(VCHAR + "(?:[ ]|" + VCHAR + ")*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern IPV4 = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+");
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    private static final Pattern TERMINATOR = Pattern.compile("\\r\\n|\\n");

    private PolicyGrammarOracle() {}

    static boolean isValid(String text) {
        if (text.isEmpty() || text.startsWith("\ufeff")) {
            return false;
        }
        String body = text.endsWith("\r\n")
                ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        Map<String, String> first = new HashMap<>();
        int mx = 0;
        for (String line : TERMINATOR.split(body, -1)) {
            if (line.indexOf('\r') >= 0) {
                return false; // bare CR
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches() || !EXT_VALUE.matcher(m.group(2)).matches()) {
                return false; // blank, leading WSP, WSP before ':', bad name, empty or bad value
            }
            String name = m.group(1);
            String value = m.group(2);
            if (name.equals("mx")) {
                if (!isMx(value)) {
                    return false;
                }
                mx++;
            } else if (List.of("version", "mode", "max_age").contains(name) && !first.containsKey(name)) {
                boolean ok = name.equals("version")
                        ? value.equals("STSv1")
                        : name.equals("mode")
                                ? List.of("enforce", "testing", "none").contains(value)
                                : MAX_AGE.matcher(value).matches();
                if (!ok) {
                    return false;
                }
                first.put(name, value);
            }
        }
        return first.containsKey("version")
                && first.containsKey("mode")
                && first.containsKey("max_age")
                && (mx > 0 || first.get("mode").equals("none"));
    }

    private static boolean isMx(String value) {
        String domain = value.startsWith("*.") ? value.substring(2) : value;
        return domain.length() <= 253
                && DOMAIN.matcher(domain).matches()
                && !IPV4.matcher(domain).matches();
    }
}
