using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>Issue 15: ordinary configuration stays readable; hashes, ids, paths and public keys are not secrets.</summary>
public class RedactorFalsePositiveSpecs
{
    [Theory]
    [InlineData("  src = /nix/store/0c6xw2pfqkzfy2x7f1hqx8gbvbsbp0qj-source;")]
    [InlineData("    hash = \"sha256-3ZAu9R0vLqbmX2YHgU5VLYlkqyTk4PSiFRG1QLq6Zy8=\";")]
    [InlineData("    npmDepsHash = \"sha512-8yWmxAX0I1pTzIlBXQEW0S1tyTLpMUqgxELmAt1b3RpXLNdIbHq6wZJ4cJ4nt3A5j7z2zrNDmRWy2eLmQzRZkQ==\";")]
    [InlineData("    rev = \"3fe4dd4b64ed2da3a7e1c2b4b5e7d1f0c9a8b7e6\";")]
    [InlineData("  fileSystems.\"/media\".device = \"/dev/disk/by-uuid/7f3c2a1e-9b8d-4c6e-a5f4-3e2d1c0b9a87\";")]
    [InlineData("  users.users.alice.passwordFile = \"/run/secrets/alice\";")]
    [InlineData("  users.users.alice.hashedPasswordFile = config.sops.secrets.alice.path;")]
    [InlineData("  security.sudo.wheelNeedsPassword = false;")]
    [InlineData("  services.tailscale.authKeyFile = \"/run/secrets/tailscale\";")]
    [InlineData("  services.cloudflare-dyndns.apiTokenFile = \"/run/secrets/cf\";")]
    [InlineData("  services.openssh.settings.PasswordAuthentication = false;")]
    [InlineData("PasswordAuthentication no")]
    [InlineData("  users.users.alice.openssh.authorizedKeys.keys = [ \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf3kNqz9Ck8pQm2m5yNw2rZr0nqGvC1Q3ZL6sXyXyQ9 alice@laptop\" ];")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7vbqajDhA8m1k5yM0QbzYb8iR2wKQmHqz1Lq5RrcS2vT9XGf0U7zv8ZkqK4c5hQ3S0xN8vZ3a2zJmJwZ1aV4e0Y9uFv5yXc0vM3y7eYQ8pQ== root@nas")]
    [InlineData("  nix.settings.trusted-public-keys = [ \"cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=\" ];")]
    [InlineData("  networking.wireguard.interfaces.wg0.peers = [ { publicKey = \"xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\"; } ];")]
    [InlineData("  sops.secrets.\"grafana/admin\" = { owner = \"grafana\"; };")]
    [InlineData("  services.nginx.virtualHosts.\"media.lan\".locations.\"/\".proxyPass = \"http://127.0.0.1:8096\";")]
    [InlineData("    proxy_pass http://127.0.0.1:8096;")]
    [InlineData("  services.grafana.settings.security.admin_password = \"$__file{/run/secrets/grafana}\";")]
    [InlineData("  services.mediabox.password = \"${config.sops.placeholder.mediabox}\";")]
    [InlineData("  token = null;")]
    [InlineData("Fix typo in the password reset docs; bump jellyfin to 10.10.3")]
    [InlineData("  tokenFile = \"/var/lib/tokens/gitea\";")]
    [InlineData("mkdir -p /var/lib/media && chown 1000:100 /var/lib/media")]
    [InlineData("docker run -u 1000:100 -p 8096:8096 jellyfin/jellyfin")]
    [InlineData("  hwaddr = \"52:54:00:12:34:56\";")]
    [InlineData("00:11:22:33:44:55")]
    [InlineData("2001:db8:0:1:2:3")]
    [InlineData("  time.timeZone = \"Europe/Berlin\"; # 12:30:00")]
    [InlineData("  services.prometheus.exporters.node.enabledCollectors = [ \"systemd\" ];")]
    [InlineData("  boot.kernelPackages = pkgs.linuxPackages_6_12;")]
    [InlineData("-----BEGIN PUBLIC KEY-----")]
    [InlineData("  restic.passwordFile = \"/run/secrets/restic\";")]
    [InlineData("  services.borgbackup.jobs.media.encryption.passCommand = \"cat /run/secrets/borg\";")]
    [InlineData("  users.users.media.hashedPassword = null;")]
    [InlineData("TOKEN=$(cat /run/secrets/token)")]
    [InlineData("export GITHUB_TOKEN=\"$GH_TOKEN\"")]
    [InlineData("ha_password: !secret ha_password")]
    [InlineData("PWD=/home/media")]
    [InlineData("ledger serve --listen 127.0.0.1:9094 --token-file /run/secrets/ledger-webhook")]
    [InlineData("podman login --password-stdin ghcr.io < /run/secrets/ghcr")]
    [InlineData("sudo -u postgres psql -c 'select 1'")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----")]
    [InlineData("  environment.sessionVariables.SSH_AUTH_SOCK = \"/run/user/1000/ssh-agent\";")]
    [InlineData("sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIOp9 alice@yubikey")]
    [InlineData("  boot.initrd.luks.devices.crypted.device = \"/dev/disk/by-partuuid/e4b3c2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a\";")]
    [InlineData("  services.jellyfin.openFirewall = true; # disk-by-id-ata-WDC_WD40EFRX-68N32N0_WD-WCC7K4XXXXXX")]
    public void Ordinary_configuration_comes_back_unchanged_issue_15(string text)
    {
        Redactor.Default.Redact(text).ShouldBe(text);
    }

    [Fact]
    public void A_yaml_block_under_an_ordinary_name_stays()
    {
        var text = "script: |\n  echo start\n  systemctl restart jellyfin\n";

        Redactor.Default.Redact(text).ShouldBe(text);
    }

    [Fact]
    public void A_nix_multi_line_string_under_an_ordinary_name_stays()
    {
        var text = "  services.nginx.appendHttpConfig = ''\n    client_max_body_size 20G;\n  '';\n";

        Redactor.Default.Redact(text).ShouldBe(text);
    }
}
