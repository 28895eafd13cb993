using System.Runtime.InteropServices;

namespace Ledger.Capture.Git;

// libgit2's structures as LibGit2Sharp 0.32 declares them for the library it ships (SHA-1 object ids).

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GitError
{
    public byte* Message;
    public int Class;
}

[StructLayout(LayoutKind.Sequential)]
internal struct GitTime
{
    public long Time;
    public int Offset;
    public byte Sign;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GitSignature
{
    public byte* Name;
    public byte* Email;
    public GitTime When;
}

[StructLayout(LayoutKind.Sequential)]
internal struct GitDiffOptions
{
    public uint Version;
    public uint Flags;
    public int IgnoreSubmodules;
    public IntPtr PathSpecStrings;
    public nuint PathSpecCount;
    public IntPtr NotifyCallback;
    public IntPtr ProgressCallback;
    public IntPtr Payload;
    public uint ContextLines;
    public uint InterhunkLines;
    public ushort IdAbbrev;
    public long MaxSize;
    public IntPtr OldPrefix;
    public IntPtr NewPrefix;
}

[StructLayout(LayoutKind.Sequential)]
internal struct GitDiffFindOptions
{
    public uint Version;
    public uint Flags;
    public ushort RenameThreshold;
    public ushort RenameFromRewriteThreshold;
    public ushort CopyThreshold;
    public ushort BreakRewriteThreshold;
    public nuint RenameLimit;
    public IntPtr SimilarityMetric;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GitDiffFile
{
    public fixed byte Id[20];
    public byte* Path;
    public long Size;
    public uint Flags;
    public ushort Mode;
    public ushort IdAbbrev;
}

[StructLayout(LayoutKind.Sequential)]
internal struct GitDiffDelta
{
    public int Status;
    public uint Flags;
    public ushort Similarity;
    public ushort FileCount;
    public GitDiffFile OldFile;
    public GitDiffFile NewFile;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GitBuf
{
    public byte* Ptr;
    public nuint Reserved;
    public nuint Size;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GitDiffHunk
{
    public int OldStart;
    public int OldLines;
    public int NewStart;
    public int NewLines;
    public nuint HeaderLength;
    public fixed byte Header[128];
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GitDiffLine
{
    public byte Origin;
    public int OldLineNumber;
    public int NewLineNumber;
    public int LineCount;
    public nuint ContentLength;
    public long ContentOffset;
    public byte* Content;
}
