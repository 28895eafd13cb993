# Purpose: Top-level system configuration for mediabox (home media + monitoring server).
# Date: 2026-10-03
# Rollback: ledger restore --to <seq> or git revert <commit>;
#           older generations are also listed in the systemd-boot menu.
{ config, lib, pkgs, ... }:

{
  imports = [
    ./hardware-configuration.nix
    ./modules/gpu/nvidia.nix
    ./modules/media/containers.nix
  ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.systemd-boot.configurationLimit = 20; # keep /boot from filling up
  boot.loader.efi.canTouchEfiVariables = true;

  networking.hostName = "mediabox";
  networking.firewall.enable = true;

  time.timeZone = "Europe/Amsterdam";
  i18n.defaultLocale = "en_US.UTF-8";

  nix.settings = {
    experimental-features = [ "nix-command" "flakes" ];
    trusted-users = [ "root" "@wheel" ];
    auto-optimise-store = true;
  };
  nix.gc = {
    automatic = true;
    dates = "weekly";
    options = "--delete-older-than 30d";
  };

  users.users.admin = {
    isNormalUser = true;
    description = "mediabox admin";
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoKeyOnlyReplaceWithYourOwnPublicKey0000 admin@laptop"
    ];
  };

  # Key-only SSH; root logs in through `sudo` from admin.
  services.openssh = {
    enable = true;
    settings = {
      PasswordAuthentication = false;
      KbdInteractiveAuthentication = false;
      PermitRootLogin = "no";
    };
  };

  environment.systemPackages = with pkgs; [
    git
    htop
    tmux
    vim
  ];

  # Set at install time. Do not bump this when upgrading nixpkgs; see `man configuration.nix`.
  system.stateVersion = "24.11";
}
