package dev.wgdiag.pcap;

/**
 * Receives the contents of every pcapng Decryption Secrets Block (block type 0x0000000A) in file order,
 * e.g. a WireGuard key log (secrets type 0x57474b4c, "WGKL"). The byte array is a fresh copy the
 * handler may keep. Never log or print it: it holds private keys.
 */
@FunctionalInterface
public interface SecretsHandler {
    /** pcapng DSB secrets type for a WireGuard key log ("WGKL"), per the pcapng specification. */
    int WIREGUARD_KEY_LOG = 0x57474b4c;

    void onSecrets(int secretsType, byte[] data);
}
