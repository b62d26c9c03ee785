package com.foundrydb.bridge.plugin;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * go-plugin's automatic mutual TLS. The host puts its own fresh certificate in
 * PLUGIN_CLIENT_CERT; the plugin makes a fresh self-signed one for itself, announces it in the
 * handshake line, and accepts connections only from a client presenting the host's certificate.
 * The host verifies ours against the handshake copy with server name {@code localhost}.
 */
public final class AutoMtls {

    /** Clock skew allowance: the host may check validity against a slightly earlier clock. */
    private static final Duration BACKDATE = Duration.ofMinutes(1);
    /** Longer than any terraform run; the certificate dies with the process anyway. */
    private static final Duration LIFETIME = Duration.ofDays(30);

    private AutoMtls() {}

    /** A fresh ECDSA P-256 key and a self-signed certificate for CN/SAN localhost. */
    public static ServerIdentity generateServerIdentity() {
        return generateIdentity("secp256r1");
    }

    /**
     * A fresh ECDSA key on {@code curve} and a self-signed certificate for CN/SAN localhost,
     * usable for both ends (go-plugin hosts make theirs on secp521r1).
     */
    public static ServerIdentity generateIdentity(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            KeyPair keys = generator.generateKeyPair();

            X500Name subject = new X500Name("CN=localhost,O=FoundryDB");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(LIFETIME)),
                    subject,
                    keys.getPublic());
            // Go's verifier accepts a self-signed leaf that is its own root; it needs the SAN
            // for the "localhost" server name and serverAuth usage.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
            return new ServerIdentity(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot create the plugin's TLS certificate", e);
        }
    }

    /** PEM text of a certificate, as a go-plugin host puts it in PLUGIN_CLIENT_CERT. */
    public static String toPem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** The single certificate in a PEM text (PLUGIN_CLIENT_CERT). */
    public static X509Certificate parseCertificate(String pem) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.size() != 1) {
                throw new IllegalArgumentException(
                        "PLUGIN_CLIENT_CERT holds " + certificates.size() + " certificates, expected exactly one");
            }
            return (X509Certificate) certificates.iterator().next();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PLUGIN_CLIENT_CERT is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * TLS that presents {@code identity} and requires a client certificate equal to
     * {@code trusted}. The JDK's TLS stack, not Netty's bundled BoringSSL: go-plugin hosts sign
     * with ECDSA P-521 keys, which BoringSSL does not offer in its default signature
     * algorithms (the handshake fails with NO_COMMON_SIGNATURE_ALGORITHMS); it also spares
     * every start the unpacking of a native library.
     */
    public static SslContext serverSslContext(ServerIdentity identity, X509Certificate trusted) {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(new OwnKeyManager(identity))
                    .trustManager(trustManagers(trusted))
                    .clientAuth(ClientAuth.REQUIRE);
            return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up mutual TLS", e);
        }
    }

    /** The host's side: present {@code host}, trust only {@code server}. */
    public static SslContext clientSslContext(ServerIdentity host, X509Certificate server) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .keyManager(new OwnKeyManager(host))
                    .trustManager(trustManagers(server));
            return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up mutual TLS", e);
        }
    }

    /** Trust anchored in exactly one certificate: the peer must present that one. */
    private static TrustManagerFactory trustManagers(X509Certificate trusted)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("peer", trusted);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return factory;
    }
}
