using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// A commit's message as the bytes git stored, for the rare commit whose message is not UTF-8
/// (<c>i18n.commitEncoding</c>, old Latin-1 histories): LibGit2Sharp decodes every message as
/// UTF-8 and replaces what is not, so the text is read again through libgit2's object database
/// and decoded with the encoding the commit declares. LibGit2Sharp exposes neither the raw object
/// nor the repository's native handle, so this reaches both through the library LibGit2Sharp has
/// already loaded; anything unexpected gives null and the caller keeps LibGit2Sharp's text.
/// </summary>
internal static class RawCommit
{
    private static readonly Lazy<Api?> Native = new(Api.Load);

    static RawCommit() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The raw commit object (headers, blank line, message), or null when it cannot be read this way.</summary>
    public static byte[]? Read(Repository repo, ObjectId id)
    {
        var api = Native.Value;
        var handle = RepositoryPointer(repo);
        if (api is null || handle == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            if (api.RepositoryOdb(out var odb, handle) != 0)
            {
                return null;
            }

            try
            {
                var oid = id.RawId;
                if (api.OdbRead(out var obj, odb, oid) != 0)
                {
                    return null;
                }

                try
                {
                    var size = checked((int)api.ObjectSize(obj));
                    var bytes = new byte[size];
                    Marshal.Copy(api.ObjectData(obj), bytes, 0, size);
                    return bytes;
                }
                finally
                {
                    api.ObjectFree(obj);
                }
            }
            finally
            {
                api.OdbFree(odb);
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or MarshalDirectiveException or OverflowException)
        {
            return null;
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

    private static IntPtr RepositoryPointer(Repository repo)
    {
        try
        {
            var handle = typeof(Repository).GetProperty("Handle", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(repo);
            var asPointer = handle?.GetType().GetMethod("AsIntPtr", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes);
            return asPointer?.Invoke(handle, null) is IntPtr p ? p : IntPtr.Zero;
        }
        catch (Exception e) when (e is TargetInvocationException or AmbiguousMatchException or MemberAccessException)
        {
            return IntPtr.Zero;
        }
    }

    private sealed unsafe class Api
    {
        private delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, int> _repositoryOdb;
        private delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int> _odbRead;
        private delegate* unmanaged[Cdecl]<IntPtr, IntPtr> _objectData;
        private delegate* unmanaged[Cdecl]<IntPtr, nuint> _objectSize;
        private delegate* unmanaged[Cdecl]<IntPtr, void> _objectFree;
        private delegate* unmanaged[Cdecl]<IntPtr, void> _odbFree;

        public static Api? Load()
        {
            // The libgit2 LibGit2Sharp loaded (its name carries a hash, e.g. libgit2-5853918.so).
            string? path = null;
            try
            {
                path = File.ReadLines("/proc/self/maps")
                    .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
                    .FirstOrDefault(p => p is not null && Path.GetFileName(p).StartsWith("libgit2", StringComparison.Ordinal) && p.Contains(".so", StringComparison.Ordinal));
            }
            catch (IOException)
            {
            }

            if (path is null || !NativeLibrary.TryLoad(path, out var lib))
            {
                return null;
            }

            var api = new Api();
            if (!NativeLibrary.TryGetExport(lib, "git_repository_odb", out var a) || !NativeLibrary.TryGetExport(lib, "git_odb_read", out var b)
                || !NativeLibrary.TryGetExport(lib, "git_odb_object_data", out var c) || !NativeLibrary.TryGetExport(lib, "git_odb_object_size", out var d)
                || !NativeLibrary.TryGetExport(lib, "git_odb_object_free", out var e) || !NativeLibrary.TryGetExport(lib, "git_odb_free", out var f))
            {
                return null;
            }

            api._repositoryOdb = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, int>)a;
            api._odbRead = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int>)b;
            api._objectData = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)c;
            api._objectSize = (delegate* unmanaged[Cdecl]<IntPtr, nuint>)d;
            api._objectFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)e;
            api._odbFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)f;
            return api;
        }

        public int RepositoryOdb(out IntPtr odb, IntPtr repo)
        {
            IntPtr o;
            var rc = _repositoryOdb(&o, repo);
            odb = o;
            return rc;
        }

        public int OdbRead(out IntPtr obj, IntPtr odb, byte[] oid)
        {
            IntPtr o;
            int rc;
            fixed (byte* id = oid)
            {
                rc = _odbRead(&o, odb, id);
            }

            obj = o;
            return rc;
        }

        public IntPtr ObjectData(IntPtr obj) => _objectData(obj);

        public nuint ObjectSize(IntPtr obj) => _objectSize(obj);

        public void ObjectFree(IntPtr obj) => _objectFree(obj);

        public void OdbFree(IntPtr odb) => _odbFree(odb);
    }
}
