# The NixOS VM test of services.ledger (issue 21), written as nixpkgs' own tests are:
#   nix build .#checks.x86_64-linux.vm          (flake.nix)
# It needs KVM and nixpkgs, so CI (Debian, no Nix store) does not run it; the evaluation test
# (nix/tests/module-eval.nix) covers the module's output there.
#
# One machine with the local PostgreSQL, the daemon, a fast snapshot timer and a sealing timer:
#   - ledger-db-setup creates the schema and the guards as the owner; everything else uses
#     ledger_app, which cannot switch off the guard triggers;
#   - root commits to a root-owned /etc/nixos; the hook hands the commit to the daemon (user
#     ledger), which records it;
#   - the snapshot and seal timers fire and the chain verifies;
#   - /healthz answers, and ledger.service's systemd-analyze exposure stays at or under 4.0
#     ("OK"), and so do the timers' units.
{ pkgs, module }:
pkgs.testers.runNixOSTest {
  name = "ledger";

  nodes.machine =
    { pkgs, ... }:
    {
      imports = [ module ];

      services.ledger = {
        enable = true;
        hostName = "machine";
        users = [ "alice" ];
        snapshots.system = "20s";
        webhook.enable = true;
        seal = {
          enable = true;
          onCalendar = "*:*:0/20";
        };
      };
      users.users.alice.isNormalUser = true;
      environment.systemPackages = [
        pkgs.git
        pkgs.curl
      ];
      virtualisation.memorySize = 2048;
    };

  testScript = ''
    import json

    machine.wait_for_unit("multi-user.target")
    machine.wait_for_unit("ledger-db-setup.service")
    machine.wait_for_unit("ledger.service")

    with subtest("the daemon answers /healthz"):
        machine.wait_until_succeeds("curl -sf http://127.0.0.1:9977/healthz")

    with subtest("root's commits to /etc/nixos are recorded by the daemon through the hook"):
        machine.succeed(
            "mkdir -p /etc/nixos",
            "git -C /etc/nixos init -q",
            "git -C /etc/nixos config user.name root",
            "git -C /etc/nixos config user.email root@machine",
            "echo '{ }' > /etc/nixos/configuration.nix",
            "git -C /etc/nixos add -A",
            "git -C /etc/nixos commit -qm 'first commit'",
        )
        # The hook unit runs at boot and on every switch; here the repository is new.
        machine.systemctl("start ledger-git-hook.service")
        machine.succeed("test -x /etc/nixos/.git/hooks/post-commit")
        machine.succeed(
            "echo '{ services.jellyfin.enable = true; }' > /etc/nixos/configuration.nix",
            "git -C /etc/nixos commit -qam 'jellyfin: enable'",
        )
        machine.wait_until_succeeds("journalctl -u ledger.service | grep -q 'Recorded commit .* (hook)'")
        timeline = json.loads(machine.succeed("ledger timeline --json --limit 50"))
        titles = [e["title"] for e in timeline]
        assert any("jellyfin: enable" in t for t in titles), titles
        assert any("first commit" in t for t in titles), titles

    with subtest("users log in as ledger_app, which cannot switch off the guards"):
        machine.succeed("su - alice -c 'ledger timeline --limit 1'")
        machine.fail(
            "su - alice -c \"psql -h /run/postgresql -U ledger_app ledger -c 'alter table ledger.mt_events disable trigger ledger_append_only'\""
        )
        machine.fail("su - alice -c \"psql -h /run/postgresql -U ledger ledger -c 'select 1'\"")

    with subtest("the snapshot and seal timers fire and the chain verifies"):
        machine.wait_until_succeeds("ledger timeline --kind system-snapshot --json | grep -q system-snapshot", timeout=120)
        machine.wait_until_succeeds("ledger verify | grep -q Intact", timeout=120)

    with subtest("the daemon's unit is confined"):
        for unit in ["ledger.service", "ledger-snapshot-system.service", "ledger-seal.service"]:
            out = machine.succeed(f"systemd-analyze security {unit} --threshold=40 --no-pager")
            print(out)
  '';
}
