// SPDX-License-Identifier: EPL-2.0
package org.tessera.stats.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tessera.internal.stats.core.BinaryReader;
import org.tessera.internal.stats.core.BinaryWriter;
import org.tessera.internal.stats.core.StatsContainer;

/**
 * The server's memory of every node ({@code _server_clientInfo}, {@code clientIPstats.db}): last
 * contact, IPs with dates, wake-on-LAN history. Each entry holds exactly {@code maxIPCount} IP
 * slots and {@code maxWOLCount} WOL slots; check {@code isSet()} on each.
 *
 * @param maxIPCount IP slots per entry (1..255)
 * @param maxWOLCount WOL slots per entry (1..255)
 * @param entries the nodes; the order need not match any node list
 */
public record ClientInfo(int maxIPCount, int maxWOLCount, List<ClientInfoEntry> entries) {
    public static final int DEFAULT_MAX_IPS = 10;
    public static final int DEFAULT_MAX_WOLS = 10;
    static final int NAME_BYTES = 50;
    static final int VERSION_BYTES = 10;
    static final int IP_SIZE = 24;
    static final int WOL_SIZE = 10;

    public ClientInfo {
        entries = List.copyOf(entries);
        if (maxIPCount < 1 || maxIPCount > 255 || maxWOLCount < 1 || maxWOLCount > 255) {
            throw new IllegalArgumentException("maxIPCount and maxWOLCount must be 1..255");
        }
    }

    public int count() {
        return entries.size();
    }

    public ClientInfoEntry info(int idx) {
        return entries.get(idx);
    }

    public static ClientInfo load(Path file) throws StatsFormatException {
        return decode(StatsContainer.load(file, StatsKind.CLIENT_INFO), file.toString());
    }

    public static ClientInfo decode(ByteBuffer payload, String source) throws StatsFormatException {
        BinaryReader r = new BinaryReader(payload, source);
        int n = r.u16("entry count");
        int ips = r.u8("maxIPCount");
        int wols = r.u8("maxWOLCount");
        if (ips == 0 || wols == 0) {
            throw new StatsFormatException(StatsFormatException.Reason.BAD_COUNT,
                    source + ": maxIPCount and maxWOLCount must be at least 1");
        }
        r.count(n, 0xFFFF, 19L + ips * IP_SIZE + wols * WOL_SIZE, "entry count");
        List<ClientInfoEntry> entries = new ArrayList<>(n);
        byte[] ip = new byte[16];
        for (int e = 0; e < n; e++) {
            long lastConnect = r.i64("lastConnect");
            long lastWol = r.i64("lastWOLTry");
            int tries = r.u8("WOLTryCount");
            String name = r.str8(NAME_BYTES, "client name");
            String version = r.str8(VERSION_BYTES, "client version");
            List<IpRecord> ipList = new ArrayList<>(ips);
            for (int i = 0; i < ips; i++) {
                r.need(IP_SIZE, "IP");
                r.buffer().get(r.position(), ip);
                r.skip(16, "IP");
                long date = r.i64("IP date");
                ipList.add(new IpRecord(ipText(ip), date));
            }
            List<WolInfo> wolList = new ArrayList<>(wols);
            for (int i = 0; i < wols; i++) {
                boolean ok = r.bool("WOL success");
                int boot = r.u8("WOL bootTime");
                wolList.add(new WolInfo(ok, boot, r.i64("WOL dateTime")));
            }
            entries.add(new ClientInfoEntry(lastConnect, lastWol, tries, name, version, ipList, wolList));
        }
        if (r.remaining() != 0) {
            throw new StatsFormatException(StatsFormatException.Reason.TRAILING_DATA,
                    source + ": " + r.remaining() + " unexpected bytes after the last entry");
        }
        return new ClientInfo(ips, wols, entries);
    }

    public ByteBuffer encode() {
        BinaryWriter w = new BinaryWriter(256);
        w.u16(entries.size(), "entry count").u8(maxIPCount, "maxIPCount").u8(maxWOLCount, "maxWOLCount");
        for (ClientInfoEntry e : entries) {
            if (e.lastIps().size() != maxIPCount || e.lastWols().size() != maxWOLCount) {
                throw new IllegalArgumentException(e.name() + " needs exactly " + maxIPCount + " IP and " + maxWOLCount
                        + " WOL slots");
            }
            w.i64(e.lastConnect()).i64(e.lastWolTry()).u8(e.wolTryCount(), "WOLTryCount")
                    .str8(e.name(), NAME_BYTES, "client name").str8(e.version(), VERSION_BYTES, "client version");
            for (IpRecord ip : e.lastIps()) {
                w.bytes(ipBytes(ip.address())).i64(ip.date());
            }
            for (WolInfo wol : e.lastWols()) {
                w.bool(wol.success()).u8(wol.bootTime(), "bootTime").i64(wol.dateTime());
            }
        }
        return w.toBuffer();
    }

    public void write(Path file) throws IOException {
        StatsContainer.write(file, StatsKind.CLIENT_INFO, encode());
    }

    /** 16 bytes: IPv6, or IPv4 mapped as ::ffff:a.b.c.d; all zero for "". Literals only, never DNS. */
    static byte[] ipBytes(String address) {
        byte[] b = new byte[16];
        if (address == null || address.isEmpty()) {
            return b;
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length == 4 && !address.contains(":")) {
            b[10] = (byte) 0xFF;
            b[11] = (byte) 0xFF;
            for (int i = 0; i < 4; i++) {
                int v;
                try {
                    v = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + address + "\" is not an IP address");
                }
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("\"" + address + "\" is not an IP address");
                }
                b[12 + i] = (byte) v;
            }
            return b;
        }
        if (!address.contains(":")) {
            throw new IllegalArgumentException("\"" + address + "\" is not an IP address");
        }
        try {
            byte[] a = InetAddress.getByName(address).getAddress();
            if (a.length == 16) {
                return a;
            }
            System.arraycopy(a, 0, b, 12, 4);
            b[10] = (byte) 0xFF;
            b[11] = (byte) 0xFF;
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + address + "\" is not an IP address", e);
        }
    }

    static String ipText(byte[] b) {
        boolean zero = true;
        boolean mapped = (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
        for (int i = 0; i < 16; i++) {
            zero &= b[i] == 0;
            if (i < 10) {
                mapped &= b[i] == 0;
            }
        }
        if (zero) {
            return "";
        }
        if (mapped) {
            return (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Integer.toHexString(((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF)));
        }
        return s.toString();
    }
}
