namespace Ledger.Store;

/// <summary>The few statement helpers the owner's set-up code shares (the guards, the fleet): run, read one value, read rows, quote a name.</summary>
internal static class SqlCommands
{
    /// <summary>An identifier as SQL writes it, double quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row, with <paramref name="args"/> as $1, $2, ...; default when there is none or it is null.</summary>
    public static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args)
        {
            cmd.Parameters.AddWithValue(a);
        }

        return await cmd.ExecuteScalarAsync(ct) is T value ? value : default!;
    }

    public static async Task ReadAsync(NpgsqlConnection conn, string sql, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            row(r);
        }
    }
}
