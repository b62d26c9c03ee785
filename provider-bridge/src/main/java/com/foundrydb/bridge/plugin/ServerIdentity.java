package com.foundrydb.bridge.plugin;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/** The plugin server's own certificate and key for one run of the process. */
public record ServerIdentity(X509Certificate certificate, PrivateKey privateKey) {

    public byte[] certificateDer() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode our own certificate", e);
        }
    }
}
