package com.foundrydb.bridge.plugin;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one key and its self-signed certificate, whatever the peer asks for. Not a
 * KeyManagerFactory over a key store: a PKCS12 store encrypts the key on the way in with
 * 10,000 rounds of PBKDF2, which costs a cold JVM tens of milliseconds per start for a key
 * that never leaves memory.
 */
final class OwnKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "self";

    private final ServerIdentity identity;

    OwnKeyManager(ServerIdentity identity) {
        this.identity = identity;
    }

    private String aliasFor(String keyType) {
        return identity.privateKey().getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    private String aliasFor(String[] keyTypes) {
        for (String keyType : keyTypes) {
            if (aliasFor(keyType) != null) {
                return ALIAS;
            }
        }
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {identity.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? identity.privateKey() : null;
    }
}
