package io.lightningdb.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Keys and values as the command line shows them: UTF-8 text by default, hex with {@code --hex},
 * and an escaped text form for listings that must stay one line per entry and unambiguous.
 */
final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {}

    /**
     * The bytes {@code arg} names: its UTF-8 bytes, or with {@code hex} its hex digits (an optional
     * "0x" first). {@code what} names the argument in the message of an IllegalArgumentException.
     */
    static byte[] parse(String arg, boolean hex, String what) {
        if (!hex) {
            return arg.getBytes(StandardCharsets.UTF_8);
        }
        String digits = arg.startsWith("0x") || arg.startsWith("0X") ? arg.substring(2) : arg;
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException(what + " '" + arg + "' is not hex: an odd number of digits");
        }
        try {
            return HEX.parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + arg + "' is not hex: " + e.getMessage(), e);
        }
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** The text {@code b} holds, or null when it is not valid UTF-8. */
    static String utf8(byte[] b) {
        try {
            CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return c.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * One line of text for {@code b}: printable text as is; a backslash, tab, line break, other
     * control characters and bytes that are not UTF-8 escaped ({@code \\ \t \n \r \xNN}).
     */
    static String escaped(byte[] b) {
        String text = utf8(b);
        StringBuilder sb = new StringBuilder(b.length + 8);
        if (text == null) {
            for (byte x : b) {
                int u = x & 0xff;
                if (u >= 0x20 && u < 0x7f && u != '\\') {
                    sb.append((char) u);
                } else {
                    escapeByte(sb, u);
                }
            }
            return sb.toString();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                escapeByte(sb, c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void escapeByte(StringBuilder sb, int u) {
        switch (u) {
            case '\\' -> sb.append("\\\\");
            case '\t' -> sb.append("\\t");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            default -> sb.append("\\x").append(Character.forDigit(u >> 4, 16)).append(Character.forDigit(u & 15, 16));
        }
    }
}
