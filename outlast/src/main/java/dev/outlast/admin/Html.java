package dev.outlast.admin;

/** HTML escaping for server-rendered pages. Thread-safe (stateless). */
final class Html {

    private Html() {
    }

    /** {@code text} safe inside an element or a quoted attribute; {@code null} gives an empty string. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
