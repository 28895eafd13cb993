using System.Globalization;
using Ledger.App.Recording;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;
using Microsoft.AspNetCore.Http;

namespace Ledger.Cli.Serve;

/// <summary>
/// <c>POST /record/commit</c>: the git hook's fast path. The hook that <c>ledger init --hooks</c>
/// installs posts the new commit here (form fields <c>repo</c>, <c>sha</c>, <c>host</c>, and
/// <c>user</c> / <c>sudo_user</c> for the actor) and the running daemon records it with its warm
/// process and connections, before answering: <c>recorded SHA #SEQ</c> or <c>known SHA #SEQ</c>,
/// or, when the database cannot be reached, <c>spooled SHA MESSAGE</c> (202: the commit waits in
/// the daemon's spool, which its <c>spool</c> schedule delivers).
/// Any other answer (another repository or host than the daemon's, no daemon at all) makes the
/// hook run <c>ledger record commit</c> itself, so nothing is lost.
/// <para>
/// No token is asked: the caller only names a commit that already exists in the repository this
/// daemon follows, which its git watch records anyway; nothing of the caller's is stored but the
/// actor, which <c>ledger record commit</c> takes from the environment just as freely.
/// </para>
/// </summary>
internal static class CommitEndpoint
{
    public const string Path = PostedCommit.Route;

    public static async Task HandleAsync(HttpContext http, ServeContext serve)
    {
        var log = serve.Log.ForContext("Endpoint", Path);
        if (!http.Request.HasFormContentType)
        {
            await TextAsync(http, StatusCodes.Status415UnsupportedMediaType, "Expected an application/x-www-form-urlencoded body with repo, sha and host.");
            return;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string repo = form["repo"].ToString(), sha = form["sha"].ToString(), host = form["host"].ToString();
        if (repo.Length == 0 || host.Length == 0 || sha.Length != 40 || !sha.All(char.IsAsciiHexDigitLower))
        {
            await TextAsync(http, StatusCodes.Status400BadRequest, "Expected form fields repo (a path), sha (40 lower-case hex digits) and host.");
            return;
        }

        string user = form["user"].ToString(), sudoUser = form["sudo_user"].ToString();
        if (!IsUserName(user) || !IsUserName(sudoUser))
        {
            await TextAsync(http, StatusCodes.Status400BadRequest, "user and sudo_user, when given, must be user names (up to 64 characters, no spaces or control characters).");
            return;
        }

        if (host != serve.Host)
        {
            await TextAsync(http, StatusCodes.Status409Conflict, $"This daemon records for host {serve.Host}, not {host}.");
            return;
        }

        var actor = ActorInfo.Resolve(name => name == "SUDO_USER" ? sudoUser : null, user.Length > 0 ? user : ServeContext.Actor);
        PostedCommit.Answer answer;
        try
        {
            answer = await PostedCommit.RecordAsync(serve.Store, serve.Spool, serve.Settings.Repo, repo, sha, serve.Host, actor, log);
        }
        catch (StoreException ex)
        {
            log.Error("Commit {Sha}: the database is unavailable, nothing recorded: {Message}", sha, ex.Message);
            await TextAsync(http, StatusCodes.Status503ServiceUnavailable, "The database is unavailable; nothing was recorded.");
            return;
        }

        switch (answer)
        {
            case { Outcome: PostedCommit.Outcome.RepositoryUnavailable }:
                await TextAsync(http, StatusCodes.Status503ServiceUnavailable, answer.Message!);
                break;
            case { Outcome: PostedCommit.Outcome.OtherRepository }:
                await TextAsync(http, StatusCodes.Status409Conflict, $"This daemon follows {answer.Repo}, not {repo}.");
                break;
            case { Outcome: PostedCommit.Outcome.NotFound }:
                await TextAsync(http, StatusCodes.Status404NotFound, answer.Message!);
                break;
            case { Outcome: PostedCommit.Outcome.Spooled }:
                log.Warning("Commit {Sha} of {Repo} for {Actor} (hook) spooled: {Message}", answer.Sha, answer.Repo, actor, answer.Message);
                await TextAsync(http, StatusCodes.Status202Accepted, $"spooled {answer.Sha} {answer.Message}");
                break;
            case { Outcome: PostedCommit.Outcome.Recorded, Edit: { } edit }:
                log.Information("Recorded commit {Sha} of {Repo} for {Actor} (hook)", answer.Sha, answer.Repo, actor);
                if (edit.Incomplete is { } missing)
                {
                    log.Warning("Commit {Sha} was recorded without part of its content: {Reason}", answer.Sha, missing);
                }

                await TextAsync(http, StatusCodes.Status200OK, string.Create(CultureInfo.InvariantCulture, $"recorded {answer.Sha} #{answer.Seq} {edit.Purpose}"));
                break;
            default:
                await TextAsync(http, StatusCodes.Status200OK, string.Create(CultureInfo.InvariantCulture, $"known {answer.Sha} #{answer.Seq}"));
                break;
        }
    }

    /// <summary>Empty, or what a user name can be: the actor is stored, so nothing else is taken.</summary>
    private static bool IsUserName(string s) =>
        s.Length <= 64 && !s.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c));

    private static Task TextAsync(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        // The answer quotes the commit's purpose: made inert for whoever reads it with curl.
        return http.Response.WriteAsync(TerminalText.EscapeLine(text) + "\n");
    }
}
