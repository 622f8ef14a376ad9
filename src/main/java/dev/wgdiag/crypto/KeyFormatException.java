package dev.wgdiag.crypto;

/** A key's text is not base64 of 32 bytes. The message never contains the key text. */
public final class KeyFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public KeyFormatException(String reason) {
        super(reason);
    }
}
