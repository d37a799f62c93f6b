package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.GrpcBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a proxyless application's certificate files where its {@code file_watcher} reads them. Each file is
 * replaced atomically ({@link AtomicFiles}), right after the other; the CA comes first (the application trusts a new CA before peers present
 * certificates it signed), then the key, then the certificate, so a reader that sees a new certificate also sees its
 * key. The key is readable by its owner only.
 */
final class CertificateWriter {
    private final GrpcBootstrap.CertificateFiles files;

    CertificateWriter(GrpcBootstrap.CertificateFiles files) {
        this.files = requireNonNull(files, "files");
    }

    /** Creates the directory, so a bad {@code --certificates-dir} fails before the control plane is contacted. */
    void prepare() {
        Path dir = files.directory();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DpException("could not create the certificates directory " + dir + ": " + e.getClass()
                    .getSimpleName() + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new DpException("the certificates directory " + dir + " is not writable");
        }
    }

    /**
     * Replaces the four files (the cross-mesh roots, the CA, the key, the certificate). All are written (and the
     * targets checked) before the first is replaced, so a failure (a full disk, a directory in the way) leaves the
     * current files as they were.
     */
    void write(IdentityBundle bundle) throws IOException {
        for (Path target : List.of(files.crossMeshCaFile(), files.caCertificateFile(), files.privateKeyFile(),
                files.certificateFile())) {
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                throw new IOException(target + " is not a regular file");
            }
        }
        try (AtomicFiles.Staged crossMeshCa = AtomicFiles.stage(files.crossMeshCaFile(), bundle.crossMeshCaPem(),
                     AtomicFiles.Access.EVERYONE);
             AtomicFiles.Staged ca = AtomicFiles.stage(files.caCertificateFile(), bundle.caPem(),
                     AtomicFiles.Access.EVERYONE);
             AtomicFiles.Staged key = AtomicFiles.stage(files.privateKeyFile(), bundle.privateKeyPem(),
                     AtomicFiles.Access.OWNER_ONLY);
             AtomicFiles.Staged certificate = AtomicFiles.stage(files.certificateFile(),
                     bundle.certificateChainPem(), AtomicFiles.Access.EVERYONE)) {
            crossMeshCa.commit();
            ca.commit();
            key.commit();
            certificate.commit();
        }
    }
}
