# Purpose: Jellyfin and the *arr stack (Sonarr, Radarr, Prowlarr) as podman containers.
# Date: 2026-10-05
# Rollback: ledger restore --to <seq> or git revert <commit>
{ config, lib, pkgs, ... }:

let
  # linuxserver.io images drop to this uid/gid inside the container.
  lsioEnv = { PUID = "2000"; PGID = "2000"; TZ = config.time.timeZone; };
in
{
  imports = [ ./prowlarr-indexers.nix ];

  virtualisation.podman = {
    enable = true;
    defaultNetwork.settings.dns_enabled = true; # containers resolve each other by name
    autoPrune.enable = true;
  };
  virtualisation.oci-containers.backend = "podman";

  users.groups.media.gid = 2000;
  users.users.media = { isSystemUser = true; uid = 2000; group = "media"; };

  virtualisation.oci-containers.containers = {
    jellyfin = {
      image = "docker.io/jellyfin/jellyfin:10.10.3";
      user = "2000:2000";
      ports = [ "8096:8096" ];
      volumes = [
        "/var/lib/jellyfin/config:/config"
        "/var/lib/jellyfin/cache:/cache"
        "/srv/media:/media:ro"
      ];
    };

    sonarr = {
      image = "lscr.io/linuxserver/sonarr:4.0.11";
      ports = [ "8989:8989" ];
      environment = lsioEnv;
      volumes = [ "/var/lib/sonarr:/config" "/srv/media:/media" ];
    };

    radarr = {
      image = "lscr.io/linuxserver/radarr:5.16.3";
      ports = [ "7878:7878" ];
      environment = lsioEnv;
      volumes = [ "/var/lib/radarr:/config" "/srv/media:/media" ];
    };

    prowlarr = {
      image = "lscr.io/linuxserver/prowlarr:1.28.2";
      ports = [ "9696:9696" ];
      environment = lsioEnv;
      volumes = [ "/var/lib/prowlarr:/config" ];
    };
  };

  # podman refuses to bind-mount host paths that do not exist yet.
  systemd.tmpfiles.rules = [
    "d /srv/media               0775 media media -"
    "d /var/lib/jellyfin/config 0750 media media -"
    "d /var/lib/jellyfin/cache  0750 media media -"
    "d /var/lib/sonarr          0750 media media -"
    "d /var/lib/radarr          0750 media media -"
    "d /var/lib/prowlarr        0750 media media -"
  ];

  # Only the LAN-facing NIC; nothing here is exposed to the internet.
  networking.firewall.interfaces."enp5s0".allowedTCPPorts = [ 8096 8989 7878 9696 ];
}
