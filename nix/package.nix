# The `ledger` command, built from src/Ledger.Cli with nixpkgs' buildDotnetModule.
#   nix build .#default            (flake.nix)
#   pkgs.callPackage ./nix/package.nix { }
# NuGet packages are pinned in ./deps.json; regenerate it with `python3 nix/update-deps.py`
# after changing a package version (see docs/nixos.md).
{
  lib,
  buildDotnetModule,
  dotnetCorePackages,
  postgresql,
  util-linux,
}:
let
  root = ../.;

  # What the build reads: the six projects, the unit tests (doCheck), the files they embed and the
  # files at the root that they import.
  # bin/ and obj/ of a local build are left out, so a dirty checkout builds like a clean one.
  kept = [
    "src/Ledger.Core"
    "src/Ledger.Store"
    "src/Ledger.Capture"
    "src/Ledger.App"
    "src/Ledger.Cli"
    "src/Ledger.Hook"
    "tests/Ledger.Core.Tests"
    "projections"
    "demo"
    "Directory.Build.props"
    "Directory.Packages.props"
    "global.json"
    ".editorconfig"
  ];
  relative = path: lib.removePrefix (toString root + "/") (toString path);
  wanted =
    path: type:
    let
      rel = relative path;
      name = baseNameOf rel;
    in
    !(type == "directory" && (name == "bin" || name == "obj"))
    && lib.any (k: rel == k || lib.hasPrefix "${k}/" rel || lib.hasPrefix "${rel}/" k) kept;

  projects = map (p: root + "/src/${p}/${p}.csproj") [
    "Ledger.Core"
    "Ledger.Store"
    "Ledger.Capture"
    "Ledger.App"
    "Ledger.Cli"
  ];
  # `ledger serve` uses ASP.NET Core (Kestrel; src/Ledger.Cli references Microsoft.AspNetCore.App):
  # the program needs the ASP.NET Core shared framework at run time, not only the base runtime.
  # Decided from the project files so that the package follows the code without an edit here.
  usesAspNetCore = lib.any (
    file:
    let
      text = builtins.readFile file;
    in
    lib.hasInfix "Microsoft.AspNetCore.App" text || lib.hasInfix "Microsoft.NET.Sdk.Web" text
  ) projects;
in
buildDotnetModule {
  pname = "ledger";
  version = "0.1.0";

  src = lib.cleanSourceWith {
    name = "ledger-source";
    src = root;
    filter = wanted;
  };

  # ledger, and ledger-hook (Native AOT) beside it: the git hook's fast path when no daemon
  # answers. The SDK's own ILCompiler pack compiles it; stdenv's C compiler links it.
  projectFile = [
    "src/Ledger.Cli/Ledger.Cli.csproj"
    "src/Ledger.Hook/Ledger.Hook.csproj"
  ];
  nugetDeps = ./deps.json;

  # The unit tests (pure: no database, git or network), run by `dotnet test` in the check phase.
  # The integration tests need PostgreSQL, podman, Prometheus and git repositories; CI runs them
  # (.ci/run), and the VM test (nix/tests/vm.nix) runs the whole service.
  testProjectFile = "tests/Ledger.Core.Tests/Ledger.Core.Tests.csproj";
  doCheck = true;

  dotnet-sdk = dotnetCorePackages.sdk_10_0;
  dotnet-runtime =
    if usesAspNetCore then dotnetCorePackages.aspnetcore_10_0 else dotnetCorePackages.runtime_10_0;

  executables = [
    "ledger"
    "ledger-hook"
  ];

  postPatch = ''
    # global.json pins the SDK that developers and CI use (10.0.401, rolling forward within
    # feature bands); here the SDK is the one Nix provides above, whatever its feature band.
    rm global.json
  '';

  # Warnings are errors for development (Directory.Build.props); a packager's SDK of another
  # feature band may bring new analyzer or NuGet warnings, which must not stop a deployment.
  # dotnetFlags reach every phase, restore included (NuGet honours the property too).
  # PublishHook=false: ledger-hook is published as a project of its own (above), not by
  # Ledger.Cli's nested publish.
  dotnetFlags = [
    "-p:TreatWarningsAsErrors=false"
    "-p:PublishHook=false"
  ];

  # The embedded database (no --db, no LEDGER_DB) runs the machine's initdb/pg_ctl, as the
  # postgres user through runuser when ledger runs as root.
  # Appended to PATH, so the system's own programs come first.
  makeWrapperArgs = [
    "--suffix"
    "PATH"
    ":"
    (lib.makeBinPath [
      postgresql
      util-linux
    ])
  ];

  meta = {
    description = "Event-sourced audit ledger for NixOS servers: config edits, validations, snapshots, deploys";
    mainProgram = "ledger";
    longDescription = ''
      Ledger records every change to a NixOS server (commits to the configuration repository,
      deploys, rollbacks, validations, GPU, container and storage snapshots, Alertmanager alerts)
      as events in PostgreSQL, writes change docs and a monthly review from them, and restores
      the configuration to a known-good event from a terminal UI.
    '';
    # The project is not published under a public address yet: set homepage when it is.
    license = lib.licenses.mit;
    sourceProvenance = [
      lib.sourceTypes.fromSource
      lib.sourceTypes.binaryBytecode # the NuGet packages of deps.json
    ];
    # deps.json holds the packages of these two (nix/update-deps.py restores for both RIDs).
    platforms = [
      "x86_64-linux"
      "aarch64-linux"
    ];
  };
}
