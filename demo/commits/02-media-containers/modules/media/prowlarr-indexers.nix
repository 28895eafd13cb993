# Purpose: Helpers for the Prowlarr indexers (FlareSolverr for Cloudflare-protected sites).
# Date: 2026-10-05
# Rollback: ledger restore --to <seq> or git revert <commit>
#
# The indexers themselves are configured in the Prowlarr UI and synced to
# Sonarr/Radarr via Settings -> Apps. This file only carries what they depend on.
{ config, lib, ... }:

{
  virtualisation.oci-containers.containers.flaresolverr = {
    image = "ghcr.io/flaresolverr/flaresolverr:v3.3.21";
    # Prowlarr reaches it as http://flaresolverr:8191 on the podman network;
    # the host port is bound to loopback only, for debugging.
    ports = [ "127.0.0.1:8191:8191" ];
    environment = {
      LOG_LEVEL = "info";
      TZ = config.time.timeZone;
    };
  };

  # Start the solver before Prowlarr so the first indexer sync does not fail.
  systemd.services.podman-prowlarr = {
    after = [ "podman-flaresolverr.service" ];
    wants = [ "podman-flaresolverr.service" ];
  };
}
