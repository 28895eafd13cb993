# Purpose: NVIDIA driver + container toolkit so Jellyfin can use NVENC/NVDEC for transcoding.
# Date: 2026-10-11
# Rollback: ledger restore --to <seq> or git revert <commit>;
#           needs a reboot to unload the nvidia kernel module cleanly.
{ config, lib, pkgs, ... }:

{
  # The proprietary driver is unfree; allow exactly these packages and nothing else.
  nixpkgs.config.allowUnfreePredicate = pkg:
    builtins.elem (lib.getName pkg) [
      "nvidia-x11"
      "nvidia-settings"
      "nvidia-persistenced"
    ];

  hardware.graphics.enable = true;

  # Headless box, but this is still the option that loads the nvidia kernel module.
  services.xserver.videoDrivers = [ "nvidia" ];

  hardware.nvidia = {
    # GTX 1660 Super (Turing): the open kernel module works, but NVENC was flaky with it.
    open = false;
    package = config.boot.kernelPackages.nvidiaPackages.stable;
    modesetting.enable = true;
    nvidiaSettings = false;      # no desktop on this machine
    nvidiaPersistenced = true;   # keep the GPU initialised between transcodes
    powerManagement.enable = false;
  };

  # Generates the CDI spec (/var/run/cdi/nvidia-container-toolkit.json) that podman
  # uses for `--device=nvidia.com/gpu=all`.
  hardware.nvidia-container-toolkit.enable = true;

  environment.systemPackages = [ pkgs.nvtopPackages.nvidia ];
}
