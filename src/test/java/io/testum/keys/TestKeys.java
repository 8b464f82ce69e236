package io.testum.keys;

/**
 * Public keys made once with OpenSSH's ssh-keygen, for tests that need fixed, valid input. Their
 * private halves were thrown away.
 */
public final class TestKeys {

    /** ssh-keygen -t ed25519 -C alice@laptop */
    public static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoFHxK1pQiPdBoGHYrjhke6hANxBZfK4P31EXSgyNcX alice@laptop";
    /** ssh-keygen -t ed25519 -C bob@desk */
    public static final String ED25519_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDFdlrl8LvyHdSaQEBbTD6QcEgPwy3F3uvfBoDy5sfIb bob@desk";
    /** ssh-keygen -t rsa -b 2048 -C carol@rsa */
    public static final String RSA_2048 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC8uElmBSAfHkSZuQGB0e0ihhC/BG3AGGne7m0zqefS2Orwj8fcCaHQGThWrOfY/mwwPk3knmhvXPRhVT5DHoGR+p9HiMOad26JHc7sZjbynv88oU9wLTBfQ3hp/Rl8EDbicZe6wdgUGbshGvIhoD1E0s+B2yeusvo0mgjafAM2cE+4YmvTfcZkA4VBU/guFwHENGaPoqwYTHHnCsWzXdxf3Uf+0/VhIZ/9EBOdct8Y7H8btalt/g4MbAaXMmj+ehGJ07D+d1pRW3U1uvn218+IoO77PaTEgReFNsJ4rU6ptUwfI63NO4xxgEEVvGm9F6btEPBKpymiBau3zE42VUoV carol@rsa";
    /** ssh-keygen -t rsa -b 1024: too small for testum */
    public static final String RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDAskLKKZs9sq8X8PYqQtktsAAU87jea1lZrXg+TnHtuhwEnQx6IdgVhftdGNelruJAIjwyW2ICNW8XTy812ZTrxNc4BZbW6HwSQ5mRly5hbFXmbkXyophT10RiWZJVogDdoFwPccTBzQuDvjZnxd1vIFYTYiMOpg/JWo8BsTFSlQ== old@rsa";
    /** ssh-keygen -t dsa: refused by testum */
    public static final String DSA = "ssh-dss AAAAB3NzaC1kc3MAAACBAI11AgpnihBlZEgdtvjEkpOsnpG4WXQHwnwA0tQrBYgmrCmldnLMRwi0WgIaL6ZaiJXfSOcDxsnHDPAVjlMntkAjS+k3/BpqhlpA/AuoDW7GSA7u0zlmjxilAD+cH77O2xMcEZj7f7z7fT+DdnfV6mN7dV2N4vGHNV5ITphutlDdAAAAFQDNteF9nDvxIys1SXrBZf6ClZfhjwAAAIBt2bl2MppKw3pzK38l8EYdaRNt5/flC/H4bGuGbNI1fePO2FVYWDIjRD+yNkpB2m3126DT8jRIbu4gePGl2TeVp77eYs7dVprxN3X7GT4hYiEhQKJi7DRYEklsgzZd6Vr6ecDIb+pRbeM6y1PbPU/8Py+/tCB4nB3/uQ7sl0cMwwAAAIBE33V0fP8UMCXum1At21tt0wLx05Ene3j7xsf0ZT4kdZB6IYQkOT7PAkewENoVhBEK8Las5SN9OGlmhY3wVLHlNiFUqxAIjDV2FXXKulaHzX4+rghDbZLxLqfSCBATioPh9rl1poiL5VdWdgRHfjAJaYXDfwauPXMeqLa9vgYPBg== dsa@old";

    private TestKeys() {
    }
}
