package dev.wgdiag.config;

/**
 * Where a [Peer]'s name came from. The generators' formats are read from their code:
 * <ul>
 * <li>{@link #PIVPN}: pivpn/pivpn {@code scripts/wireguard/makeCONF.sh} brackets each client's section
 *     with {@code ### begin NAME ###} above {@code [Peer]} and {@code ### end NAME ###} after it.</li>
 * <li>{@link #WIREGUARD_INSTALL}: Nyr/wireguard-install writes {@code # BEGIN_PEER NAME} above and
 *     {@code # END_PEER NAME} after the section.</li>
 * <li>{@link #WG_EASY}: wg-easy/wg-easy ({@code src/lib/WireGuard.js}, later
 *     {@code src/server/utils/wgHelper.ts}) writes {@code # Client: NAME (ID)} above {@code [Peer]},
 *     ID a UUID (v14 and before) or a number (v15).</li>
 * <li>{@link #WIREGUARD_UI}: ngoduykhanh/wireguard-ui {@code templates/wg.conf} writes a block of
 *     {@code # ID:}, {@code # Name:}, {@code # Email:}, {@code # Created at:}, {@code # Update at:}
 *     lines above {@code [Peer]}; the name is the {@code # Name:} line, not the last comment.</li>
 * <li>{@link #ANGRISTAN}: angristan/wireguard-install writes {@code ### Client NAME} above {@code [Peer]}.</li>
 * <li>{@link #COMMENT_INSIDE}: the first comment inside the section, before its first attribute, as
 *     people write by hand ({@code [Peer]} then {@code #Client1}) and as linuxserver/docker-wireguard
 *     writes ({@code [Peer]} then {@code # peer1}).</li>
 * <li>{@link #COMMENT_ABOVE}: the last plain comment line above {@code [Peer]}.</li>
 * </ul>
 */
public enum NameSource {
    PIVPN, WIREGUARD_INSTALL, WG_EASY, WIREGUARD_UI, ANGRISTAN, COMMENT_INSIDE, COMMENT_ABOVE;

    /** A generator's own marker: written by a program for exactly this purpose, so it outranks free comments. */
    public boolean isGeneratorMarker() {
        return this != COMMENT_INSIDE && this != COMMENT_ABOVE;
    }
}
