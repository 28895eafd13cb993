# Purpose: Two storage tiers: NVMe "hot" for transcodes/scratch, HDD "cold" for the media library.
# Date: 2026-11-08
# Rollback: ledger restore --to <seq> or git revert <commit>;
#           /srv/media was copied with rsync, not moved, so the old path keeps
#           working until it is cleaned up.
{ config, lib, ... }:

{
  # Hot tier: second NVMe (mkfs.ext4 -L hot). Scratch only, not backed up.
  fileSystems."/mnt/hot" = {
    device = "/dev/disk/by-label/hot";
    fsType = "ext4";
    options = [ "noatime" "nofail" ];
  };

  # Cold tier: 2x 12TB HDD, btrfs raid1 (mkfs.btrfs -L cold -d raid1 -m raid1 /dev/sda /dev/sdb).
  fileSystems."/mnt/cold" = {
    device = "/dev/disk/by-label/cold";
    fsType = "btrfs";
    options = [ "noatime" "compress=zstd:3" "nofail" "x-systemd.device-timeout=30s" ];
  };

  services.btrfs.autoScrub = {
    enable = true;
    fileSystems = [ "/mnt/cold" ];
    interval = "monthly";
  };

  systemd.tmpfiles.rules = [
    "d /mnt/cold/media              0775 media media -"
    "d /mnt/hot/jellyfin-transcodes 0750 media media -"
  ];

  # Never start the media containers against an empty mountpoint when a tier is missing.
  systemd.services = lib.genAttrs [ "podman-jellyfin" "podman-sonarr" "podman-radarr" ] (_: {
    unitConfig.RequiresMountsFor = [ "/mnt/cold/media" "/mnt/hot" ];
  });
}
