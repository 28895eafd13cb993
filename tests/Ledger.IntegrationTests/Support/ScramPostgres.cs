using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ledger.Capture.Processes;
using Ledger.Store.Embedded;
using Npgsql;

namespace Ledger.IntegrationTests.Support;

/// <summary>
/// A PostgreSQL server of its own for the fleet tests (issue 22), set up as a central server
/// should be: TCP on 127.0.0.1 only through TLS (<c>hostssl</c>, a certificate made here for
/// 127.0.0.1) with SCRAM passwords, and a database <c>ledger</c> owned by a plain role
/// <c>fleet_owner</c> with CREATEROLE (what <c>fleet add-host</c> needs). As root the server runs as <c>postgres</c> (initdb refuses root).
/// </summary>
public sealed class ScramPostgres : IAsyncDisposable
{
    public const string Owner = "fleet_owner";
    private const string Superuser = "ledger";

    private readonly TempDirectory _folder = new("ledger-scram");
    private readonly string _bin;
    private readonly string? _runAs = Environment.UserName == "root" ? "postgres" : null;

    private ScramPostgres()
    {
        _bin = Path.GetDirectoryName(PostgresBinaries.Find("initdb", ProgramRunner.Default))!;
        Port = FreePort();
    }

    public int Port { get; }

    /// <summary>The test CA: it signed the server's certificate (clients verify the server against it) and the client certificates (the server checks them against it).</summary>
    public string Certificate => Path.Combine(_folder.Path, "ca.crt");

    /// <summary>The role that logs in with a client certificate (pg_hba <c>cert</c>) instead of a password.</summary>
    public const string CertificateRole = "ledger_host_certified";

    /// <summary>A client certificate (CN = <see cref="CertificateRole"/>) signed by the test CA, and its key.</summary>
    public (string Certificate, string Key) ClientCertificate => (Path.Combine(_folder.Path, "client.crt"), Path.Combine(_folder.Path, "client.key"));

    private string ServerCertificate => Path.Combine(_folder.Path, "server.crt");

    /// <summary>The owner's connection: TCP, SCRAM, TLS with the server's name checked.</summary>
    public string OwnerConnectionString { get; private set; } = "";

    private string Data => Path.Combine(_folder.Path, "data");

    public static async Task<ScramPostgres> StartAsync()
    {
        var pg = new ScramPostgres();
        await pg.InitAsync();
        return pg;
    }

    public Task StartServerAsync() =>
        RunAsync(true, Path.Combine(_bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_folder.Path, "log"), "-w", "-o",
            $"-c listen_addresses=127.0.0.1 -p {Port} -k {_folder.Path} -c ssl=on -c ssl_cert_file={ServerCertificate} -c ssl_key_file={Path.Combine(_folder.Path, "server.key")} -c ssl_ca_file={Certificate} -c fsync=off -c max_connections=100",
            "start");

    public Task StopServerAsync() => RunAsync(true, Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        _folder.Dispose();
    }

    private async Task InitAsync()
    {
        File.SetUnixFileMode(_folder.Path, (UnixFileMode)0b111_101_101);
        var pwfile = Path.Combine(_folder.Path, "pw");
        await File.WriteAllTextAsync(pwfile, "superuser-password\n");
        await MakeCertificatesAsync();
        if (_runAs is not null)
        {
            await RunAsync(false, "chown", "-R", _runAs, _folder.Path);
        }

        await RunAsync(true, Path.Combine(_bin, "initdb"), "-D", Data, "-U", Superuser, "--pwfile", pwfile,
            "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions");

        // TCP only through TLS: a client without it is refused before any password is asked. One
        // role logs in with a client certificate instead (its CN must be the role's name).
        var hba = Path.Combine(Data, "pg_hba.conf");
        var lines = (await File.ReadAllLinesAsync(hba)).Select(l => l.StartsWith("host ", StringComparison.Ordinal) ? "hostssl" + l[4..] : l);
        await File.WriteAllLinesAsync(hba, [$"hostssl all {CertificateRole} 127.0.0.1/32 cert", .. lines]);
        await StartServerAsync();

        var superuser = $"Host=127.0.0.1;Port={Port};Username={Superuser};Password=superuser-password;Database=postgres;SSL Mode=VerifyFull;Root Certificate={Certificate};Pooling=false";
        await using (var conn = new NpgsqlConnection(superuser))
        {
            await conn.OpenAsync();
            foreach (var sql in new[] { $"create role {Owner} login createrole password 'owner-password'", $"create database ledger owner {Owner}" })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                await cmd.ExecuteNonQueryAsync();
            }
        }

        OwnerConnectionString = $"Host=127.0.0.1;Port={Port};Username={Owner};Password=owner-password;Database=ledger;SSL Mode=VerifyFull;Root Certificate={Certificate}";
    }

    /// <summary>A CA, the server's certificate for 127.0.0.1 and a client certificate for <see cref="CertificateRole"/>, both signed by it.</summary>
    private async Task MakeCertificatesAsync()
    {
        string F(string name) => Path.Combine(_folder.Path, name);
        await RunAsync(false, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", F("ca.key"), "-out", Certificate, "-subj", "/CN=ledger test CA");
        await File.WriteAllTextAsync(F("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        foreach (var (name, subject, ext) in new[] { ("server", "/CN=127.0.0.1", F("server.ext")), ("client", "/CN=" + CertificateRole, null) })
        {
            await RunAsync(false, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", F(name + ".key"), "-out", F(name + ".csr"), "-subj", subject);
            string[] sign = ["x509", "-req", "-in", F(name + ".csr"), "-CA", Certificate, "-CAkey", F("ca.key"), "-CAcreateserial", "-days", "2", "-out", F(name + ".crt")];
            await RunAsync(false, "openssl", ext is null ? sign : [.. sign, "-extfile", ext]);
            File.SetUnixFileMode(F(name + ".key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(F(name + ".crt"), (UnixFileMode)0b110_100_100);
        }

        File.SetUnixFileMode(Certificate, (UnixFileMode)0b110_100_100);
    }

    private async Task RunAsync(bool asServer, string program, params string[] args)
    {
        var psi = asServer && _runAs is not null
            ? new ProcessStartInfo("runuser", ["-u", _runAs, "--", program, .. args])
            : new ProcessStartInfo(program, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
