package io.testum.auth;

import java.util.Set;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;

/** Short-lived access tokens: RS256 JWTs naming the user, its role and its session. */
@Singleton
public class AccessTokens {

    static final String ISSUER = "testum";
    static final String SESSION_CLAIM = "sid";

    private final SigningKeys keys;
    private final AuthConfig config;

    public AccessTokens(SigningKeys keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /** The claims testum reads back from a token it issued. */
    public record Claims(String username, UUID session) {
    }

    public String issue(String username, Role role, UUID session) {
        return Jwt.issuer(ISSUER)
                .subject(username)
                .upn(username)
                .groups(Set.of(role.label()))
                .claim(SESSION_CLAIM, session.toString())
                .expiresIn(config.accessTokenLifetime())
                .jws().algorithm(SignatureAlgorithm.RS256)
                .sign(keys.privateKey());
    }

    public long lifetimeSeconds() {
        return config.accessTokenLifetime().toSeconds();
    }

    /**
     * Checks signature (RS256 with testum's key only), issuer and expiry.
     *
     * @throws InvalidTokenException saying what is wrong, without echoing the token
     */
    public Claims verify(String token) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(keys.publicKey(), ISSUER);
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        context.setExpGracePeriodSecs(0);
        context.setClockSkew(0);
        try {
            JsonWebToken jwt = new DefaultJWTParser(context).parse(token, context);
            String session = jwt.getClaim(SESSION_CLAIM);
            if (jwt.getSubject() == null || session == null) {
                throw new InvalidTokenException("the access token lacks its subject or session");
            }
            return new Claims(jwt.getSubject(), UUID.fromString(session));
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidTokenException("the access token is invalid or expired");
        }
    }

    /** A token that does not verify. */
    public static final class InvalidTokenException extends RuntimeException {
        InvalidTokenException(String message) {
            super(message);
        }
    }
}
