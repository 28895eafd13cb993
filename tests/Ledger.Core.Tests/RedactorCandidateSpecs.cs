using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// Issue 19, twelfth session: most rules are built only when a text holds a place where they can
/// match, read from the rule's own grammar (Redactor.Candidates.cs), so that an import of a small
/// history does not build rules it never needs. A check that turned down a place its rule matches
/// would let a secret through: each is compared with its rule on random texts made of the rules'
/// names, separators and value shapes.
/// </summary>
public sealed class RedactorCandidateSpecs
{
    private static readonly string[] Fragments =
    [
        // Keys, with names that end in a secret name and names that only hold one.
        "password", "db_password", "PassWord", "api_key", "apiKey", "api-key", "secret_key_base", "secret-keybase", "access_tokens", "accessTokens", "token", "psk",
        "credentials", "privateKey", "authKey", "hashedPasswordFile", "publicKey", "database", "ssh.key", "x.pass", "tokenFile", "passwd",
        "\"", "'", " ", "  ", "\t", ":", "=", ": |", ":\t>-", "= ''", "=''", "mkForce ", "lib.mkDefault ", "{", "}",

        // XML.
        "<", ">", "</", "<password>", "</password>", "<apiKey attr=\"1\">", "<x:token>", " a=b>", "<b>",

        // Long and short flags.
        "--", "--password", "--db-password", "--api-key", "--token", "--password-file", "-", "pass:", "PASS:", "`", ";", "|", "&", ")", "value", "\"q\"", "'q'",
        "mysql", "mysqldump ", "mariadb", "sshpass", "redis-cli", " -p", "\t-p", "-pX", " -a ", "-u", "-U", "--user", "--proxy-user", "user:pw", "\"us er:pw\"", "'u:p'", "\":pw\"", "':'", "\"u", "root",

        // .netrc, .pgpass, URLs.
        "login", "machine h ", "password ", "password\tp", "+", "+ ", "- ", "host", ":5432:", ":*:", ":123456:", "db", "user", "pw", "#",
        "h:5432:db:u:", "localhost:*:app:app:", "-db.local:5432:*:me:", ":5432:db:user:", "s3cr:et", "\n+ h:1:d:u:",
        "https", "://", "git+ssh://", "0://", "@", "/", "@host", "x@y",
        "https://u:", "redis://:", "smtp://me@x:", "p@ss@", "pw@", "a:b@", "//x:y@",

        // Line breaks, and spaces that are not ASCII blanks.
        "\n", "\n", "\r\n", "\r", "\u00A0", "\u2003", "é", "\v", "x", "1",
    ];

    [Fact]
    public void Every_check_accepts_every_place_its_rule_matches()
    {
        var checks = Redactor.CandidateChecks();
        var matched = new int[checks.Count];
        var turnedDown = new int[checks.Count];
        var random = new Random(2026_12_07);
        for (int round = 0; round < 60_000; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(2, 14)).Select(_ => Fragments[random.Next(Fragments.Length)]));
            for (int i = 0; i < checks.Count; i++)
            {
                var (name, rule, accepts) = checks[i];
                var any = false;
                for (var m = rule.Match(text); m.Success; m = m.NextMatch())
                {
                    any = true;
                    accepts(text, m).ShouldBeTrue($"{name} at {m.Index} ({m.Value.ReplaceLineEndings("⏎")}) in: {text.ReplaceLineEndings("⏎")}");
                }

                matched[i] += any ? 1 : 0;
                turnedDown[i] += !any && !accepts(text, System.Text.RegularExpressions.Match.Empty) ? 1 : 0;
            }
        }

        for (int i = 0; i < checks.Count; i++)
        {
            matched[i].ShouldBeGreaterThan(300, $"{checks[i].Name}: enough texts hold a match for the comparison to mean something");
            turnedDown[i].ShouldBeGreaterThan(1000, $"{checks[i].Name}: the check turns texts down");
        }
    }

    [Fact]
    public void A_history_that_holds_the_rules_words_but_no_place_for_them_builds_no_rule()
    {
        // What srvos' and mitchellh/nixos-config's commits hold: prose about passwords, -u flags
        // without a password, URLs without credentials, port-like fields, tags, flags that name a file.
        const string text = """
            diff --git a/modules/db.nix b/modules/db.nix
            @@ -1,9 +1,12 @@
             # The password of the admin user is set on first boot; see the runbook.
            -  services.mysql.enable = true;
            +  services.mysql = { enable = true; initialScript = ./init.sql; };
            +  systemd.services.backup.script = "sudo -u postgres pg_dumpall > /var/backup/all.sql";
            +  environment.etc."motd".text = "see https://example.org/docs/admin@2x.png";
            +  networking.firewall.allowedTCPPorts = [ 5432 ]; # host:5432:* is not a .pgpass line
            +  virtualisation.oci-containers.containers.app.cmd = [ "--token-file" "/run/secrets/app" ];
            +  hashedPasswordFile = config.sops.secrets.admin.path;
            +  description = "<b>tokens</b> rotate daily";
            +  time = "12:30:00";
            """;

        using var fresh = new FreshRedactor("candidate checks");

        fresh.Redact(text).ShouldBe(Redactor.Default.RedactEverywhere(text));
        fresh.Built.ShouldBe(0, "the assignment, Authorization and flag rules are found by hand (RedactorHitSpecs); no other rule has a place to match");
    }
}
