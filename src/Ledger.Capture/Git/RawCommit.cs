using System.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// A commit's message as the bytes git stored, for the rare commit whose message is not UTF-8
/// (<c>i18n.commitEncoding</c>, old Latin-1 histories): LibGit2Sharp decodes every message as
/// UTF-8 and replaces what is not, so the text is read again through libgit2's object database
/// and decoded with the encoding the commit declares. LibGit2Sharp exposes neither the raw object
/// nor the repository's native handle, so this reaches both through <see cref="Libgit2"/>; anything
/// unexpected gives null and the caller keeps LibGit2Sharp's text.
/// </summary>
internal static class RawCommit
{
    static RawCommit() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The raw commit object (headers, blank line, message), or null when it cannot be read this way.</summary>
    public static unsafe byte[]? Read(Repository repo, ObjectId id)
    {
        var api = Libgit2.Api;
        var handle = Libgit2.RepositoryPointer(repo);
        if (api is null || handle == IntPtr.Zero)
        {
            return null;
        }

        IntPtr odb;
        if (api.RepositoryOdb(&odb, handle) != 0)
        {
            return null;
        }

        try
        {
            return api.ReadObject(odb, id);
        }
        finally
        {
            api.OdbFree(odb);
        }
    }

    /// <summary>The message of a raw commit object, decoded with its <c>encoding</c> header; null when it declares none or one .NET does not know.</summary>
    public static (string? Decoded, byte[] Message) Message(byte[] raw)
    {
        int at = 0;
        string? encoding = null;
        while (at < raw.Length)
        {
            int end = Array.IndexOf(raw, (byte)'\n', at);
            end = end < 0 ? raw.Length : end;
            if (end == at)
            {
                at++;
                break;
            }

            var line = Encoding.ASCII.GetString(raw, at, end - at);
            if (line.StartsWith("encoding ", StringComparison.Ordinal))
            {
                encoding = line["encoding ".Length..].Trim();
            }

            at = end + 1;
        }

        var message = raw[Math.Min(at, raw.Length)..];
        if (encoding is null)
        {
            return (null, message);
        }

        try
        {
            var decoder = Encoding.GetEncoding(encoding, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            return (decoder.GetString(message), message);
        }
        catch (Exception e) when (e is ArgumentException or DecoderFallbackException)
        {
            return (null, message);
        }
    }
}
