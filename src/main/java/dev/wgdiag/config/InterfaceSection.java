package dev.wgdiag.config;

import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.Redaction;
import dev.wgdiag.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The [Interface] section: wg(8) attributes (PrivateKey, ListenPort, FwMark) and wg-quick(8) ones
 * (Address, DNS, MTU, Table, SaveConfig, Pre/PostUp/Down hooks, kept as text and never run).
 * {@link #toString()} never shows the private key.
 */
public final class InterfaceSection {
    private final PrivateKey privateKey;
    private final Integer listenPort;
    private final List<IpPrefix> addresses;
    private final List<String> dns;
    private final Integer mtu;
    private final String table;
    private final String fwMark;
    private final boolean saveConfig;
    private final List<String> preUp;
    private final List<String> postUp;
    private final List<String> preDown;
    private final List<String> postDown;

    private InterfaceSection(Builder b) {
        privateKey = b.privateKey;
        listenPort = b.listenPort;
        addresses = List.copyOf(b.addresses);
        dns = List.copyOf(b.dns);
        mtu = b.mtu;
        table = b.table;
        fwMark = b.fwMark;
        saveConfig = b.saveConfig;
        preUp = List.copyOf(b.preUp);
        postUp = List.copyOf(b.postUp);
        preDown = List.copyOf(b.preDown);
        postDown = List.copyOf(b.postDown);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<PrivateKey> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    /** The interface's public key, derived from PrivateKey. */
    public Optional<PublicKey> publicKey() {
        return privateKey().map(PrivateKey::publicKey);
    }

    /** ListenPort; empty means a random port chosen at start (the usual phone setup). */
    public OptionalInt listenPort() {
        return listenPort == null ? OptionalInt.empty() : OptionalInt.of(listenPort);
    }

    public List<IpPrefix> addresses() {
        return addresses;
    }

    /** DNS entries as written (addresses or search domains). */
    public List<String> dns() {
        return dns;
    }

    public OptionalInt mtu() {
        return mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu);
    }

    public Optional<String> table() {
        return Optional.ofNullable(table);
    }

    /** FwMark as written ("off", decimal or 0x hex). */
    public Optional<String> fwMark() {
        return Optional.ofNullable(fwMark);
    }

    public boolean saveConfig() {
        return saveConfig;
    }

    public List<String> preUp() {
        return preUp;
    }

    public List<String> postUp() {
        return postUp;
    }

    public List<String> preDown() {
        return preDown;
    }

    public List<String> postDown() {
        return postDown;
    }

    @Override
    public String toString() {
        return "InterfaceSection[publicKey=" + publicKey().map(PublicKey::toBase64).orElse("none")
                + ", listenPort=" + (listenPort == null ? "random" : listenPort) + ", addresses=" + addresses
                + ", dns=" + Redaction.maskKeys(dns.toString()) + (mtu == null ? "" : ", mtu=" + mtu) + (table == null ? "" : ", table=" + Redaction.maskKeys(table))
                + (fwMark == null ? "" : ", fwMark=" + fwMark) + (saveConfig ? ", saveConfig" : "")
                + ", privateKey=" + (privateKey == null ? "none" : "hidden") + "]";
    }

    public static final class Builder {
        private PrivateKey privateKey;
        private Integer listenPort;
        private final List<IpPrefix> addresses = new ArrayList<>();
        private final List<String> dns = new ArrayList<>();
        private Integer mtu;
        private String table;
        private String fwMark;
        private boolean saveConfig;
        private final List<String> preUp = new ArrayList<>();
        private final List<String> postUp = new ArrayList<>();
        private final List<String> preDown = new ArrayList<>();
        private final List<String> postDown = new ArrayList<>();

        public Builder privateKey(PrivateKey k) {
            privateKey = k;
            return this;
        }

        public Builder listenPort(Integer p) {
            listenPort = p;
            return this;
        }

        public Builder addAddress(IpPrefix a) {
            addresses.add(a);
            return this;
        }

        public Builder addDns(String d) {
            dns.add(d);
            return this;
        }

        public Builder mtu(Integer m) {
            mtu = m;
            return this;
        }

        public Builder table(String t) {
            table = t;
            return this;
        }

        public Builder fwMark(String f) {
            fwMark = f;
            return this;
        }

        public Builder saveConfig(boolean s) {
            saveConfig = s;
            return this;
        }

        public Builder addPreUp(String c) {
            preUp.add(c);
            return this;
        }

        public Builder addPostUp(String c) {
            postUp.add(c);
            return this;
        }

        public Builder addPreDown(String c) {
            preDown.add(c);
            return this;
        }

        public Builder addPostDown(String c) {
            postDown.add(c);
            return this;
        }

        public InterfaceSection build() {
            return new InterfaceSection(this);
        }
    }
}
