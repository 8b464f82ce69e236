package io.testum.testing;

import io.testum.keys.TestKeys;

/** The earlier testum's GitOps example (its README's testum-config.yaml), with a real key where it wrote "ssh-rsa AAAA...". */
public final class EarlierFormat {

    public static final String CONFIG = """
            ssh_keys:
              - name: prod-key
                public_key: "%s"
                description: Production SSH key

            platforms:
              - name: web-server-01
                host: 192.168.1.100
                port: 22
                username: ubuntu
                auth_method: key
                ssh_key_name: prod-key  # the key by name
                description: Production web server

              - name: db-server-01
                host: 192.168.1.101
                port: 22
                username: postgres
                auth_method: password
                description: Production database server
            """.formatted(TestKeys.RSA_2048);

    private EarlierFormat() {
    }
}
