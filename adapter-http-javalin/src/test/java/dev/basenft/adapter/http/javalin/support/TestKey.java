package dev.basenft.adapter.http.javalin.support;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A signing key of a test Quick Auth issuer: a fresh RSA (as Farcaster's issuer uses), Ed25519 or P-256 pair with a kid, its
 * public JWK, and raw JWS signing (so tests can also make tokens no library would: wrong alg, stripped or tampered
 * signatures).
 *
 * @param kid the key id
 * @param alg {@code RS256}, {@code EdDSA} or {@code ES256}
 * @param pair the key pair
 * @param jwkAlg the {@code alg} member published in the JWK, or null to leave it out
 */
public record TestKey(String kid, String alg, KeyPair pair, String jwkAlg) {

    /** An RSA 2048 pair for RS256, as the issuer makes with jose's {@code generateKeyPair('RS256')}. */
    public static TestKey rsa(String kid) {
        return rsa(kid, 2048);
    }

    /** An RSA pair of {@code bits} for RS256 (tests of keys too short to trust). */
    public static TestKey rsa(String kid, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return new TestKey(kid, "RS256", generator.generateKeyPair(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestKey ed25519(String kid) {
        try {
            return new TestKey(kid, "EdDSA", KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestKey es256(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new TestKey(kid, "ES256", generator.generateKeyPair(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same key published with an {@code alg} member. */
    public TestKey withJwkAlg(String value) {
        return new TestKey(kid, alg, pair, value);
    }

    /** The same key pair under another kid. */
    public TestKey withKid(String value) {
        return new TestKey(value, alg, pair, jwkAlg);
    }

    /** The public JWK as JSON. */
    public String publicJwkJson() {
        String algMember = jwkAlg == null ? "" : ",\"alg\":\"" + jwkAlg + "\"";
        if (alg.equals("RS256")) {
            RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
            return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"n\":\"" + b64(unsigned(rsa.getModulus()))
                    + "\",\"e\":\"" + b64(unsigned(rsa.getPublicExponent())) + "\"" + algMember + "}";
        }
        if (alg.equals("EdDSA")) {
            byte[] encoded = pair.getPublic().getEncoded();
            byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"x\":\"" + b64(x) + "\""
                    + algMember + "}";
        }
        ECPublicKey ec = (ECPublicKey) pair.getPublic();
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"x\":\""
                + b64(unsigned32(ec.getW().getAffineX())) + "\",\"y\":\"" + b64(unsigned32(ec.getW().getAffineY())) + "\""
                + algMember + "}";
    }

    /** A raw JWS signature over {@code signingInput} with this key. */
    public byte[] sign(byte[] signingInput) {
        try {
            Signature signature = Signature.getInstance(switch (alg) {
                case "RS256" -> "SHA256withRSA";
                case "EdDSA" -> "Ed25519";
                default -> "SHA256withECDSAinP1363Format";
            });
            signature.initSign(pair.getPrivate());
            signature.update(signingInput);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Big-endian bytes without the sign byte {@link BigInteger#toByteArray} may add (JWK integers are unsigned). */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        return out;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
