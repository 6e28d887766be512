package dev.mtasts.core.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890), as data: the bundled {@code
 * iana-special-purpose.csv} names the revisions transcribed. Loaded once; a malformed line fails the
 * class initialisation loudly instead of leaving a hole in the SSRF filter (STS-HTTP-11).
 */
final class SpecialPurposeRegistry {
    static final String RESOURCE = "iana-special-purpose.csv";

    /** One registry entry. */
    record Block(byte[] prefix, int length, String name, String rfc, boolean globallyReachable) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = length / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = length % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Block> BLOCKS = loadBundled();

    private SpecialPurposeRegistry() {}

    /** Every entry of the bundled registries, in file order. */
    static List<Block> blocks() {
        return BLOCKS;
    }

    /** The most specific entry holding {@code address} (4 or 16 bytes), if any. */
    static Optional<Block> lookup(byte[] address) {
        Block best = null;
        for (Block block : BLOCKS) {
            if (block.contains(address) && (best == null || block.length() > best.length())) {
                best = block;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether the most specific entry holding {@code address} says it is not globally reachable. */
    static boolean refuses(byte[] address) {
        return lookup(address).map(block -> !block.globallyReachable()).orElse(false);
    }

    private static List<Block> loadBundled() {
        try (InputStream in = SpecialPurposeRegistry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Parses the CSV lines; {@code #} comments and blank lines are skipped, anything odd throws. */
    static List<Block> parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                blocks.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalStateException(RESOURCE + " has no entries");
        }
        return List.copyOf(blocks);
    }

    private static Block parseLine(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("expected 4 fields but found " + fields.length + ": " + line);
        }
        String block = fields[0].strip();
        int slash = block.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("no /length in '" + block + "'");
        }
        String literal = block.substring(0, slash);
        // Only IP literals: InetAddress.getByName would otherwise ask the DNS.
        if (!literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw new IllegalArgumentException("not an IP address: '" + literal + "'");
        }
        byte[] prefix;
        try {
            prefix = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + literal + "'", e);
        }
        if (literal.contains(":") && prefix.length == 4) {
            // ::ffff:0:0 comes back as an IPv4 address; the registry means the IPv6 block.
            prefix = mapped(prefix);
        }
        int length;
        try {
            length = Integer.parseInt(block.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + block + "'", e);
        }
        if (length < 0 || length > prefix.length * 8) {
            throw new IllegalArgumentException("prefix length out of range in '" + block + "'");
        }
        String reachable = fields[3].strip();
        boolean global = switch (reachable) {
            case "True" -> true;
            case "False", "N/A" -> false;
            default ->
                throw new IllegalArgumentException("globally reachable must be True, False or N/A: " + reachable);
        };
        return new Block(prefix, length, fields[1].strip(), fields[2].strip(), global);
    }

    private static byte[] mapped(byte[] v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }
}
