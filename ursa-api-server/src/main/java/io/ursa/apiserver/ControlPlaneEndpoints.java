package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.ursa.api.validation.Violation;
import java.util.Optional;

/**
 * {@code GET /control-plane/ca.pem}: the certificate authority that signs the control plane's certificates, so a
 * client can verify the DP server and the HTTPS API ({@code ursa-dp --ca-cert-file}, {@code ursactl ... --ca-cert-file}).
 * Public, like any CA certificate: {@code application/x-pem-file}, or 404 with Kuma's error JSON when this control
 * plane was given no CA to serve. Stateless and thread-safe.
 */
final class ControlPlaneEndpoints {
    static final String PEM = "application/x-pem-file";

    private final Optional<String> caCertificatePem;
    private final ErrorMapper errors;

    ControlPlaneEndpoints(Optional<String> caCertificatePem, ErrorMapper errors) {
        this.caCertificatePem = requireNonNull(caCertificatePem, "caCertificatePem");
        this.errors = requireNonNull(errors, "errors");
    }

    void addTo(Javalin app) {
        app.get("/control-plane/ca.pem", errors.guard(Titles.CA_CERTIFICATE, this::caCertificate));
    }

    private void caCertificate(Context ctx) {
        String pem = caCertificatePem.orElseThrow(() -> ApiException.of(404, Titles.CA_CERTIFICATE, "Not found",
                new Violation("", "this control plane has no CA certificate to serve")));
        ctx.status(200).contentType(PEM).result(pem);
    }
}
