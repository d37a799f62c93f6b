package io.ursa.dp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS server on 127.0.0.1 (UDP, a free port) standing for the system's resolver: it answers A queries for the
 * names it is given, NXDOMAIN for others, and records every name it was asked.
 */
final class UpstreamDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress address;
    private final Map<String, String> names;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private UpstreamDns(Map<String, String> names) throws IOException {
        this.names = Map.copyOf(names);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.address = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
        Thread thread = new Thread(this::serve, "upstream-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers {@code names} (lower case, with the trailing dot) with their IPv4 address. */
    static UpstreamDns start(Map<String, String> names) throws IOException {
        return new UpstreamDns(names);
    }

    InetSocketAddress address() {
        return address;
    }

    /** {@code 127.0.0.1:<port>}, as {@code --dns-upstream}. */
    String hostPort() {
        return "127.0.0.1:" + address.getPort();
    }

    List<String> asked() {
        return List.copyOf(asked);
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Name name = query.getQuestion().getName();
                asked.add(name.toString());
                Message answer = new Message(query.getHeader().getID());
                answer.getHeader().setFlag(Flags.QR);
                answer.getHeader().setFlag(Flags.RA);
                answer.addRecord(query.getQuestion(), Section.QUESTION);
                String address = names.get(name.toString().toLowerCase(java.util.Locale.ROOT));
                if (address == null) {
                    answer.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if (query.getQuestion().getType() == Type.A) {
                    answer.addRecord(new ARecord(name, DClass.IN, 60, InetAddress.getByName(address)),
                            Section.ANSWER);
                }
                byte[] wire = answer.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a query it cannot read: the test sees the missing answer
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
