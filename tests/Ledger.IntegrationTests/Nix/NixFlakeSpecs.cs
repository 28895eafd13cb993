using System.Diagnostics;
using System.Text.Json;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>
/// flake.nix and its checks (issue 21), evaluated with nixpkgs' lib and no nixpkgs: the outputs a
/// `nix flake show` lists, the lock, the module check and the VM test's machine and script.
/// </summary>
public sealed class NixFlakeSpecs
{
    // flake.nix's outputs with a nixpkgs that has only its lib: enough to list outputs lazily.
    private const string Outputs = """
        let
          systems = [ "x86_64-linux" "aarch64-linux" ];
          nixpkgs = { inherit lib; legacyPackages = lib.genAttrs systems (system: { stdenv.hostPlatform.system = system; }); };
          self = (import ./flake.nix).outputs { inherit self nixpkgs; };
        in
        """;

    [NixEvalFact]
    public void The_flake_lists_checks_for_each_system_beside_its_package_and_module()
    {
        // Act
        var (code, result, error) = NixModuleEval.Expression(Outputs + """
            {
              checks = builtins.mapAttrs (_: builtins.attrNames) self.checks;
              packages = builtins.mapAttrs (_: builtins.attrNames) self.packages;
              modules = builtins.attrNames self.nixosModules;
              inputs = (import ./flake.nix).inputs.nixpkgs.url;
            }
            """);

        // Assert
        code.ShouldBe(0, error);
        var r = result!.Value;
        Names(r.GetProperty("checks").GetProperty("x86_64-linux")).ShouldBe(["module-eval", "package", "vm"]);
        Names(r.GetProperty("checks").GetProperty("aarch64-linux")).ShouldBe(["module-eval", "package"], "the VM test needs KVM on x86_64");
        Names(r.GetProperty("packages").GetProperty("x86_64-linux")).ShouldBe(["default", "ledger"]);
        Names(r.GetProperty("modules")).ShouldBe(["default", "ledger"]);
        r.GetProperty("inputs").GetString().ShouldBe("github:NixOS/nixpkgs/nixos-unstable");
    }

    [Fact]
    public void The_lock_pins_the_nixpkgs_the_flake_asks_for()
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Checkout.Root, "flake.lock")));
        var root = lockFile.RootElement;

        root.GetProperty("version").GetInt32().ShouldBe(7);
        var rootNode = root.GetProperty("nodes").GetProperty(root.GetProperty("root").GetString()!);
        rootNode.GetProperty("inputs").GetProperty("nixpkgs").GetString().ShouldBe("nixpkgs");
        var nixpkgs = root.GetProperty("nodes").GetProperty("nixpkgs");
        var locked = nixpkgs.GetProperty("locked");
        locked.GetProperty("type").GetString().ShouldBe("github");
        locked.GetProperty("rev").GetString()!.ShouldMatch("^[0-9a-f]{40}$");
        locked.GetProperty("narHash").GetString()!.ShouldMatch("^sha256-[A-Za-z0-9+/]{43}=$");
        locked.GetProperty("lastModified").GetInt64().ShouldBeGreaterThan(1_763_000_000, "a nixpkgs with .NET 10 (November 2025 or later)");
        var original = nixpkgs.GetProperty("original");
        $"github:{original.GetProperty("owner").GetString()}/{original.GetProperty("repo").GetString()}/{original.GetProperty("ref").GetString()}"
            .ShouldBe("github:NixOS/nixpkgs/nixos-unstable");
    }

    [NixEvalFact]
    public void The_module_check_of_the_flake_holds()
    {
        // A pkgs with what nix/tests/module-check.nix uses: its lib, writeText, and a runCommand
        // that hands back its attributes instead of building.
        var (code, result, error) = NixModuleEval.Expression("""
            let pkgs = { inherit lib; writeText = builtins.toFile; runCommand = name: attrs: script: attrs; };
            in (import ./nix/tests/module-check.nix { inherit pkgs; }).facts
            """);

        code.ShouldBe(0, error);
        result!.Value.GetString()!.ShouldContain("a secret file in the Nix store is refused");
    }

    [NixEvalFact]
    public void The_vm_tests_machine_evaluates_with_the_module_and_its_script_is_python()
    {
        const string Vm = """(import ./nix/tests/vm.nix { pkgs = { testers.runNixOSTest = test: test; }; module = { }; })""";

        // Act
        var (code, machine, error) = NixModuleEval.Run($"{Vm}.nodes.machine");
        var (scriptCode, script, scriptError) = NixModuleEval.Expression($"{Vm}.testScript");

        // Assert
        code.ShouldBe(0, error);
        machine!.Value.GetProperty("failedAssertions").GetArrayLength().ShouldBe(0);
        var services = machine.Value.GetProperty("services");
        foreach (var unit in new[] { "ledger", "ledger-db-setup", "ledger-git-hook", "ledger-seal", "ledger-snapshot-system" })
        {
            services.TryGetProperty(unit, out _).ShouldBeTrue(unit);
        }

        scriptCode.ShouldBe(0, scriptError);
        var text = script!.Value.GetString()!;
        foreach (var step in new[] { "/healthz", "Recorded commit", "ledger_app", "ledger verify", "systemd-analyze security" })
        {
            text.ShouldContain(step);
        }

        PythonCompiles(text);
    }

    private static void PythonCompiles(string script)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import sys; compile(sys.stdin.read(), 'testScript', 'exec')");
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, error);
    }

    private static List<string> Names(JsonElement obj) => [.. obj.EnumerateArray().Select(e => e.GetString()!)];
}
