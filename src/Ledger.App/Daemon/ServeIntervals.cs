namespace Ledger.App.Daemon;

/// <summary>
/// How often each scheduled job of <c>ledger serve</c> runs, in seconds; 0 turns a job off.
/// The names are those of serve.json's <c>intervals</c> and of <c>--every NAME=SECONDS</c>.
/// </summary>
internal sealed record ServeIntervals
{
    public static readonly string[] Names = ["gpu", "containers", "system", "storage", "validate", "seal", "git", "generation", "text", "metrics", "grafana", "spool"];

    public int Gpu { get; init; } = 300;

    public int Containers { get; init; } = 300;

    public int System { get; init; } = 300;

    public int Storage { get; init; } = 3600;

    /// <summary>Off by default: a checklist may hold a <c>nixos-rebuild test</c>, which is not for every few minutes.</summary>
    public int Validate { get; init; }

    public int Seal { get; init; }

    public int Git { get; init; } = 60;

    /// <summary>How often the system profile is looked at for a switch Ledger did not make (a no-op where there is no profile).</summary>
    public int Generation { get; init; } = 60;

    /// <summary>How often the events recorded meanwhile are added to the free-text index.</summary>
    public int Text { get; init; } = 60;

    /// <summary>How often the metrics read from the database are refreshed (a scrape never queries it).</summary>
    public int Metrics { get; init; } = 30;

    /// <summary>How often new deploys and restores are pushed to Grafana, when <c>grafana</c> is configured.</summary>
    public int Grafana { get; init; } = 30;

    /// <summary>How often events kept in the spool while the database could not be reached are delivered (a look at an empty folder when there are none).</summary>
    public int Spool { get; init; } = 30;

    public int Get(string name) => name switch
    {
        "gpu" => Gpu,
        "containers" => Containers,
        "system" => System,
        "storage" => Storage,
        "validate" => Validate,
        "seal" => Seal,
        "git" => Git,
        "generation" => Generation,
        "text" => Text,
        "metrics" => Metrics,
        "grafana" => Grafana,
        "spool" => Spool,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a schedule"),
    };

    public ServeIntervals With(string name, int seconds) => name switch
    {
        "gpu" => this with { Gpu = seconds },
        "containers" => this with { Containers = seconds },
        "system" => this with { System = seconds },
        "storage" => this with { Storage = seconds },
        "validate" => this with { Validate = seconds },
        "seal" => this with { Seal = seconds },
        "git" => this with { Git = seconds },
        "generation" => this with { Generation = seconds },
        "text" => this with { Text = seconds },
        "metrics" => this with { Metrics = seconds },
        "grafana" => this with { Grafana = seconds },
        "spool" => this with { Spool = seconds },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a schedule"),
    };
}
