# Purpose: Grafana dashboards on top of the local Prometheus.
# Date: 2026-10-24
# Rollback: ledger restore --to <seq> or git revert <commit>;
#           dashboards in /var/lib/grafana survive a rollback.
{ config, ... }:

{
  services.grafana = {
    enable = true;
    settings = {
      server = {
        http_addr = "0.0.0.0";
        http_port = 3000;
        domain = "mediabox.lan";
        root_url = "http://mediabox.lan:3000/";
      };
      security = {
        admin_user = "admin";
        # Read by Grafana at startup; the files are deployed out-of-band and never committed.
        admin_password = "$__file{/run/secrets/grafana-admin}";
        secret_key = "$__file{/run/secrets/grafana-secret-key}";
        cookie_secure = false; # plain HTTP, LAN only
      };
      users.allow_sign_up = false;
      analytics.reporting_enabled = false;
    };

    provision = {
      enable = true;
      datasources.settings = {
        apiVersion = 1;
        datasources = [
          {
            name = "Prometheus";
            type = "prometheus";
            uid = "prometheus"; # fixed uid so exported dashboards keep working
            url = "http://127.0.0.1:${toString config.services.prometheus.port}";
            isDefault = true;
            jsonData.timeInterval = config.services.prometheus.globalConfig.scrape_interval;
          }
        ];
      };
    };
  };

  networking.firewall.interfaces."enp5s0".allowedTCPPorts = [
    config.services.grafana.settings.server.http_port
  ];
}
