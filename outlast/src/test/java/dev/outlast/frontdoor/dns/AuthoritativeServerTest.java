package dev.outlast.frontdoor.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The built-in authoritative server queried as {@code dig} would, with dnsjava as the client, over UDP and TCP. */
class AuthoritativeServerTest {

    private static final Duration TTL = Duration.ofSeconds(30);

    private final BuiltInZone zone = new BuiltInZone("example.com");
    private AuthoritativeServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        zone.write(new RecordSet("www.example.com", RecordSet.Type.A, List.of("192.0.2.10", "192.0.2.11"), TTL)).join();
        zone.write(new RecordSet("v6.example.com", RecordSet.Type.AAAA, List.of("2001:db8::10"), TTL)).join();
        zone.write(new RecordSet("cdn.example.com", RecordSet.Type.CNAME, List.of("www-cf.cdn.example.net"), TTL))
                .join();
        server = new AuthoritativeServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(zone),
                                         Duration.ofSeconds(2));
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void answersHeldNamesAuthoritatively(boolean tcp) throws Exception {
        Message a = query("WWW.example.com.", Type.A, tcp);
        assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(a.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
        assertThat(a.getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(30L);

        assertThat(query("v6.example.com.", Type.AAAA, tcp).getSection(Section.ANSWER))
                .extracting(r -> ((AAAARecord) r).getAddress()).containsExactly(InetAddress.getByName("2001:db8::10"));
        assertThat(query("cdn.example.com.", Type.CNAME, tcp).getSection(Section.ANSWER))
                .extracting(Record::rdataToString).containsExactly("www-cf.cdn.example.net.");
        Message cnameForA = query("cdn.example.com.", Type.A, tcp);
        assertThat(cnameForA.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void answersNodataForOtherTypesOfAHeldName(boolean tcp) throws Exception {
        for (int type : new int[] {Type.MX, Type.AAAA, Type.TXT}) {
            Message answer = query("www.example.com.", type, tcp);
            assertThat(answer.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
            assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(answer.getSection(Section.ANSWER)).as(Type.string(type)).isEmpty();
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void refusesEveryOtherName(boolean tcp) throws Exception {
        for (String name : new String[] {"api.example.com.", "example.com.", "www.example.org.", "."}) {
            Message answer = query(name, Type.A, tcp);
            assertThat(answer.getRcode()).as(name).isEqualTo(Rcode.REFUSED);
            assertThat(answer.getSection(Section.ANSWER)).isEmpty();
        }
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            assertThat(exchange(socket, 7, "www.example.com.", Type.AXFR).getRcode()).isEqualTo(Rcode.REFUSED);
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void answersTheNewRecordsAfterAWrite(boolean tcp) throws Exception {
        zone.write(new RecordSet("www.example.com", RecordSet.Type.CNAME, List.of("www-aws.cdn.example.net"),
                                 Duration.ofSeconds(60))).join();

        Message answer = query("www.example.com.", Type.A, tcp);
        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("www-aws.cdn.example.net.");
        assertThat(answer.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(60L);
    }

    @Test
    void malformedPacketsGetFormerrOrNothingAndTheServerGoesOn() throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 'x'};
            socket.send(new DatagramPacket(garbage, garbage.length, address));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            Message formerr = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);
            assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);

            socket.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, address));
        }
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(5);
            out.write(new byte[] {1, 2, 3, 4, 5});
            out.flush();
            socket.setSoTimeout(2000);
            assertThat(new DataInputStream(socket.getInputStream()).read()).isEqualTo(-1);
        }

        assertThat(query("www.example.com.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(query("www.example.com.", Type.A, true).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void servesSeveralQueriesOnOneTcpConnection() throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            for (int id = 1; id <= 3; id++) {
                Message response = exchange(socket, id, "www.example.com.", Type.A);
                assertThat(response.getHeader().getID()).isEqualTo(id);
                assertThat(response.getSection(Section.ANSWER)).hasSize(2);
            }
        }
    }

    private static Message exchange(Socket socket, int id, String name, int type) throws IOException {
        socket.setSoTimeout(2000);
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setID(id);
        byte[] wire = query.toWire();
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(wire.length);
        out.write(wire);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        return new Message(in.readNBytes(in.readUnsignedShort()));
    }

    @Test
    void anIdleTcpConnectionIsClosed() throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
        }
    }

    private Message query(String name, int type, boolean tcp) throws IOException {
        SimpleResolver resolver = new SimpleResolver(address);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }
}
