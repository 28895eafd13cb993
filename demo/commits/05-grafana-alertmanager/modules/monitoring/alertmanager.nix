# Purpose: Alert rules + Alertmanager; every notification is forwarded to the Ledger webhook.
# Date: 2026-10-24
# Rollback: ledger restore --to <seq> or git revert <commit>
{ config, ... }:

let
  amPort = config.services.prometheus.alertmanager.port;
in
{
  services.prometheus = {
    # Plain YAML so `promtool check rules` can be run on it directly.
    ruleFiles = [ ./rules/gpu.yml ];

    alertmanagers = [
      { static_configs = [ { targets = [ "127.0.0.1:${toString amPort}" ]; } ]; }
    ];

    alertmanager = {
      enable = true;
      listenAddress = "127.0.0.1";
      port = 9093;
      # Single instance: turn off the HA gossip listener on :9094.
      extraFlags = [ "--cluster.listen-address=" ];

      configuration = {
        route = {
          receiver = "ledger";
          group_by = [ "alertname" "instance" ];
          group_wait = "30s";
          group_interval = "5m";
          repeat_interval = "4h";
          routes = [
            {
              # Disk usage moves slowly; don't re-notify every 4h.
              matchers = [ "alertname = DiskAlmostFull" ];
              receiver = "ledger";
              repeat_interval = "24h";
            }
          ];
        };
        receivers = [
          {
            # Ledger records each notification as an audit event next to the config history.
            name = "ledger";
            webhook_configs = [
              {
                url = "http://127.0.0.1:9977/alertmanager";
                send_resolved = true;
              }
            ];
          }
        ];
      };
    };
  };
}
