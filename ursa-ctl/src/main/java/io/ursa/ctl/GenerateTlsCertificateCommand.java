package io.ursa.ctl;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate tls-certificate} (kumactl 2.0's {@code app/kumactl/cmd/generate/generate_certificate.go}): a
 * self-signed key and certificate (see {@link SelfSignedCertificate}) for a server or a client, written to
 * {@code --key-file} and {@code --cert-file} ({@code key.pem} and {@code cert.pem} by default, {@code -} for stdout,
 * key first). As in kumactl, {@code --type} and {@code --hostname} are required, {@code --hostname} is repeatable
 * (or comma-separated), the first hostname is the common name and all are subject alternative names, and an existing
 * file is replaced; the key is RSA unless {@code --key-type ecdsa}. Unlike kumactl, which writes the key with mode
 * 0400 (so that a second run fails on it), the key is written with mode 0600 and the certificate with 0644, and a
 * replaced file is said to be. When both go to files, kumactl's two lines name them on stdout; when one goes to
 * stdout, the line naming the other goes to stderr.
 */
@Command(name = "tls-certificate", description = "Generate a TLS certificate: a self-signed key and certificate pair"
        + " that can be used, for example, by an HTTPS server or its clients.",
        footerHeading = "%nExamples:%n", footer = {
                "  # A certificate for an HTTPS server",
                "  ursactl generate tls-certificate --type=server --hostname=localhost",
                "",
                "  # A certificate for a client of an HTTPS server",
                "  ursactl generate tls-certificate --type=client --hostname=dataplane-1"})
final class GenerateTlsCertificateCommand implements Callable<Integer> {
    static final String KEY_MODE = "rw-------";
    static final String CERT_MODE = "rw-r--r--";
    private static final String STDOUT = "-";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** What the certificate is for: its extended key usage. */
    enum CertType {
        SERVER,
        CLIENT
    }

    /** The private key's algorithm: RSA 2048 (the default) or ECDSA P-256. */
    enum KeyType {
        RSA,
        ECDSA
    }

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "type of the certificate: one of client|server")
    String type;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "",
            description = "type of the private key: one of rsa|ecdsa (default: rsa)")
    String keyType;

    @Option(names = "--hostname", required = true, paramLabel = "HOST", split = ",",
            description = "DNS hostname(s) or IP address(es) to issue the certificate for; repeatable, or"
                    + " comma-separated (the first one is the common name)")
    List<String> hostnames = new ArrayList<>();

    @Option(names = "--key-file", paramLabel = "PATH", defaultValue = "key.pem",
            description = "path to a file with a generated private key ('-' for stdout; default: ${DEFAULT-VALUE})")
    String keyFile;

    @Option(names = "--cert-file", paramLabel = "PATH", defaultValue = "cert.pem",
            description = "path to a file with a generated TLS certificate ('-' for stdout; default:"
                    + " ${DEFAULT-VALUE})")
    String certFile;

    private final RootCommand root;

    GenerateTlsCertificateCommand(RootCommand root) {
        this.root = requireNonNull(root, "root");
    }

    @Override
    public Integer call() {
        CertType certType = certType(type);
        KeyType key = keyType(keyType);
        List<String> hosts = hostnames.stream().map(String::strip).toList();
        hosts.stream().filter(h -> !isValidHostname(h)).findFirst().ifPresent(h -> {
            throw new UsageException("invalid --hostname " + Texts.quote(h)
                    + " (expected: a DNS name or an IP address)");
        });
        SelfSignedCertificate.Pem pem = SelfSignedCertificate.create(certType, key, hosts, root.env().clock()
                .instant());
        List<String> saved = new ArrayList<>();
        write(keyFile, pem.privateKey(), KEY_MODE, "key").ifPresent(outcome ->
                saved.add("Private key saved in " + keyFile + outcome));
        write(certFile, pem.certificate(), CERT_MODE, "cert").ifPresent(outcome ->
                saved.add("Certificate saved in " + certFile + outcome));
        PrintWriter report = keyFile.equals(STDOUT) || certFile.equals(STDOUT) ? root.env().err() : root.env().out();
        saved.forEach(report::println);
        root.env().out().flush();
        report.flush();
        return 0;
    }

    /** Writes {@code text} to {@code target} or stdout; the note on the saved line for a file. */
    private Optional<String> write(String target, String text, String mode, String what) {
        if (target.equals(STDOUT)) {
            root.env().out().print(text);
            return Optional.empty();
        }
        Path path = Path.of(target);
        try {
            OutputFiles.Outcome outcome = OutputFiles.write(path, text.getBytes(StandardCharsets.US_ASCII), mode);
            return Optional.of(outcome == OutputFiles.Outcome.REPLACED ? " (replacing the previous file)"
                    : "");
        } catch (NoSuchFileException e) {
            throw new CtlException("could not write the " + what + " file " + target + ": the directory "
                    + path.toAbsolutePath().getParent() + " does not exist");
        } catch (AccessDeniedException e) {
            throw new CtlException("could not write the " + what + " file " + target + ": permission denied");
        } catch (IOException e) {
            throw new CtlException("could not write the " + what + " file " + target + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code host} is an IP address (Go's {@code net.ParseIP} reads it), not a DNS name. */
    static boolean isIpAddress(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    /** An IPv4 address with octets up to 255, an IPv6 address, or a name of printable ASCII without spaces. */
    private static boolean isValidHostname(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (IPV4.matcher(host).matches()) {
            return Arrays.stream(host.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        }
        if (host.contains(":")) {
            if (!IPV6_CHARACTERS.matcher(host).matches()) {
                return false;
            }
            try {
                InetAddress.getByName(host); // a literal: no name lookup
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return host.chars().allMatch(c -> c > ' ' && c < 127);
    }

    static CertType certType(String value) {
        return switch (value) {
            case "server" -> CertType.SERVER;
            case "client" -> CertType.CLIENT;
            default -> throw new UsageException("invalid certificate type " + Texts.quote(value)
                    + " (expected: client or server)");
        };
    }

    static KeyType keyType(String value) {
        return switch (value) {
            case "", "rsa" -> KeyType.RSA;
            case "ecdsa" -> KeyType.ECDSA;
            default -> throw new UsageException("invalid key type " + Texts.quote(value)
                    + " (expected: rsa or ecdsa)");
        };
    }
}
